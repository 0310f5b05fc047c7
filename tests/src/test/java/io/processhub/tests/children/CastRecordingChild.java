package io.processhub.tests.children;

import io.processhub.ChildContext;
import io.processhub.ReplicaAware;
import io.processhub.ReplicaRole;
import io.processhub.StopReason;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * A replica that records the casts it handles: how many per child, and those it handled while it was not told it is
 * ACTIVE. In-JVM nodes share the records with the test.
 */
public class CastRecordingChild implements ReplicaAware {
    /** Casts handled, per child id, by any of its replicas. */
    public static final Map<String, LongAdder> HANDLED = new ConcurrentHashMap<>();
    /** Casts handled by a replica not told it is ACTIVE, as {@code "<child>@<node> as <role>"}. */
    public static final Queue<String> BY_NON_ACTIVE = new ConcurrentLinkedQueue<>();

    private String id;
    private String node;
    private ReplicaRole role;

    public CastRecordingChild() {
    }

    @Override
    public void start(ChildContext ctx) {
        id = ctx.childId();
        node = ctx.self().node();
    }

    @Override
    public void onRoleChange(ReplicaRole role) {
        this.role = role;
    }

    @Override
    public Object handle(Object message) {
        HANDLED.computeIfAbsent(id, k -> new LongAdder()).increment();
        if (role != ReplicaRole.ACTIVE)
            BY_NON_ACTIVE.add(id + "@" + node + " as " + role);
        return null;
    }

    @Override
    public void stop(StopReason reason) {
    }
}
