package io.processhub.ignite.supervision;

import io.processhub.ChildContext;
import io.processhub.ReplicaAware;
import io.processhub.ReplicaRole;
import io.processhub.StatefulChild;
import io.processhub.StopReason;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A counter child for the supervisor's unit tests. Messages: "inc" and "get"; "crash" throws; "exit" and "fail"
 * go through its context; "self" answers its context's ref. What happened to every instance is kept by child id.
 */
public final class TestChild implements StatefulChild<Integer>, ReplicaAware {
    /** Per child id: the contexts of its instances, oldest first. */
    static final Map<String, List<ChildContext>> CONTEXTS = new ConcurrentHashMap<>();
    /** Per child id: how its instances were stopped, and the roles they were told, as "stop:REASON" / "role:ROLE". */
    static final Map<String, List<String>> EVENTS = new ConcurrentHashMap<>();

    private ChildContext ctx;
    private int count;

    static void reset() {
        CONTEXTS.clear();
        EVENTS.clear();
    }

    static List<String> events(String childId) {
        return EVENTS.getOrDefault(childId, List.of());
    }

    static ChildContext context(String childId, int incarnation) {
        return CONTEXTS.get(childId).get(incarnation - 1);
    }

    @Override
    public void start(ChildContext ctx) {
        this.ctx = ctx;
        CONTEXTS.computeIfAbsent(ctx.childId(), k -> new CopyOnWriteArrayList<>()).add(ctx);
    }

    @Override
    public Object handle(Object message) {
        switch ((String)message) {
            case "inc": return ++count;
            case "get": return count;
            case "crash": throw new IllegalStateException("asked to crash");
            case "exit": ctx.exit(); return null;
            case "fail": ctx.fail(new IllegalStateException("asked to fail")); return null;
            case "self": return ctx.self();
            default: throw new IllegalArgumentException(String.valueOf(message));
        }
    }

    @Override
    public void stop(StopReason reason) {
        record("stop:" + reason);
    }

    @Override
    public void onRoleChange(ReplicaRole role) {
        record("role:" + role);
    }

    @Override
    public Integer handoverState() {
        return count;
    }

    @Override
    public void restoreState(Integer state) {
        count = state;
    }

    private void record(String event) {
        EVENTS.computeIfAbsent(ctx.childId(), k -> new CopyOnWriteArrayList<>()).add(event);
    }

    /** A child whose start always throws. */
    public static final class FailsToStart implements io.processhub.ChildProcess {
        @Override
        public void start(ChildContext ctx) {
            throw new IllegalStateException("cannot start");
        }
    }
}
