package io.processhub.tests.chaos;

import io.processhub.ChildContext;
import io.processhub.ReplicaAware;
import io.processhub.ReplicaRole;
import io.processhub.StatefulChild;
import io.processhub.StopReason;

/**
 * The chaos run's child: a counter that records its own life in {@link ChaosEvents} (start with its role, role
 * changes, states it is given, acknowledged checkpoints, stop), so the run's oracle never has to believe the registry.
 * Messages: {@code "inc"} (returns the new count, and checkpoints it), {@code "get"}.
 */
public class ChaosChild implements ReplicaAware, StatefulChild<Long> {
    private ChildContext ctx;
    private String instance;
    private long count;
    /** The highest checkpoint logged: acknowledgements may arrive out of order, the log only goes up. */
    private long checkpointLogged;

    public ChaosChild() {
    }

    @Override
    public void start(ChildContext ctx) {
        this.ctx = ctx;
        instance = ChaosEvents.newInstance();
        record(Event.Kind.START, String.valueOf(ctx.role()), count);
    }

    @Override
    public Object handle(Object message) {
        switch (String.valueOf(message)) {
            case "inc":
                count++;
                ChaosCheckpoints.checkpoint(ctx, count, this::acknowledged);
                return count;
            case "get":
                return count;
            default:
                throw new IllegalArgumentException("unknown message: " + message);
        }
    }

    private synchronized void acknowledged(long value) {
        if (value > checkpointLogged) {
            checkpointLogged = value;
            record(Event.Kind.CHECKPOINT, "", value);
        }
    }

    @Override
    public void onRoleChange(ReplicaRole role) {
        record(Event.Kind.ROLE, String.valueOf(role), count);
    }

    @Override
    public Long handoverState() {
        return count;
    }

    @Override
    public void restoreState(Long state) {
        count = state;
        if (instance != null) // else given before its start, and logged with it
            record(Event.Kind.RESTORE, "", count);
    }

    @Override
    public void stop(StopReason reason) {
        record(Event.Kind.STOP, String.valueOf(reason), count);
    }

    private void record(Event.Kind kind, String detail, long value) {
        ChaosEvents.write(instance, ctx.hubId(), ctx.childId(), ctx.self().node(), ctx.self().incarnation(), kind, detail, value);
    }
}
