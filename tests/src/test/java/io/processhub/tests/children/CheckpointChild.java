package io.processhub.tests.children;

import io.processhub.ChildContext;
import io.processhub.StatefulChild;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;

/**
 * A stateful child (its state: one number) that checkpoints on request and records every state it was given, so a
 * test sees from the child itself what it resumed from, whichever JVM it runs in.
 *
 * <p>Messages: {@code "set:<n>"} (live only), {@code "save:<n>"} (set, then {@link ChildContext#checkpoint()}),
 * {@code "stored"} ("yes" once the last checkpoint is stored, "no" while it is under way, "failed: ..." otherwise),
 * {@code "get"}, {@code "restored"} (the states given to {@code restoreState}, in order), {@code "where"} (node), {@code "self"} (its ref).
 */
public class CheckpointChild implements StatefulChild<Long> {
    private ChildContext ctx;
    private long value;
    private final ArrayList<Long> restored = new ArrayList<>();
    private CompletableFuture<Void> lastCheckpoint;

    public CheckpointChild() {
    }

    @Override
    public void start(ChildContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Object handle(Object message) {
        String msg = String.valueOf(message);
        if (msg.startsWith("set:")) {
            value = Long.parseLong(msg.substring(4));
            return value;
        }
        if (msg.startsWith("save:")) {
            value = Long.parseLong(msg.substring(5));
            lastCheckpoint = ctx.checkpoint();
            return value;
        }
        switch (msg) {
            case "stored":
                return stored();
            case "get":
                return value;
            case "restored":
                return new ArrayList<>(restored);
            case "where":
                return ctx.self().node();
            case "self":
                return ctx.self();
            default:
                throw new IllegalArgumentException("unknown message " + msg);
        }
    }

    private String stored() {
        CompletableFuture<Void> f = lastCheckpoint;
        if (f == null || !f.isDone())
            return "no";
        try {
            f.join();
            return "yes";
        }
        catch (RuntimeException e) {
            return "failed: " + (e.getCause() == null ? e : e.getCause());
        }
    }

    @Override
    public Long handoverState() {
        return value;
    }

    @Override
    public void restoreState(Long state) {
        value = state;
        restored.add(state);
    }
}
