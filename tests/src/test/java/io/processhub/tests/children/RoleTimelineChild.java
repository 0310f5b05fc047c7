package io.processhub.tests.children;

import io.processhub.ChildContext;
import io.processhub.ReplicaAware;
import io.processhub.ReplicaRole;
import io.processhub.StopReason;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records, per child id, what its replicas lived through and when (started, told ACTIVE or PASSIVE, stopped),
 * and answers every message with the role it was last told: in-JVM nodes share the records with the test.
 */
public class RoleTimelineChild implements ReplicaAware {
    /** Per child id, its replicas' events in the order they happened. */
    public static final Map<String, List<Event>> EVENTS = new ConcurrentHashMap<>();

    /** One thing a replica did. */
    public static final class Event {
        public final String node;
        /** STARTED, ACTIVE, PASSIVE or STOPPED. */
        public final String what;
        public final long nanos;

        Event(String node, String what) {
            this.node = node;
            this.what = what;
            this.nanos = System.nanoTime();
        }

        @Override
        public String toString() {
            return what + "@" + node;
        }
    }

    private String id;
    private String node;
    private volatile ReplicaRole role;

    public RoleTimelineChild() {
    }

    private void record(String what) {
        EVENTS.computeIfAbsent(id, k -> Collections.synchronizedList(new ArrayList<>())).add(new Event(node, what));
    }

    @Override
    public void start(ChildContext ctx) {
        id = ctx.childId();
        node = ctx.self().node();
        record("STARTED");
    }

    @Override
    public void onRoleChange(ReplicaRole role) {
        this.role = role;
        record(role.name());
    }

    @Override
    public void stop(StopReason reason) {
        record("STOPPED");
    }

    @Override
    public Object handle(Object message) {
        ReplicaRole r = role;
        return r == null ? "UNTOLD" : r.name();
    }
}
