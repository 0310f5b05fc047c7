package io.processhub.examples;

import io.processhub.ChildContext;
import io.processhub.StatefulChild;

/**
 * A counter that keeps its count when it moves: with the {@code HotSwap} migration strategy the old
 * instance's {@link #handoverState()} becomes the new instance's {@link #restoreState(Long)}. Messages:
 * {@code "inc"} (answers the new count), {@code "get"}, {@code "where"} (the node it runs on).
 */
public class StatefulCounterChild implements StatefulChild<Long> {
    private ChildContext ctx;
    private long count;

    public StatefulCounterChild() {
    }

    @Override
    public void start(ChildContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Object handle(Object message) {
        switch (String.valueOf(message)) {
            case "inc":
                return ++count;
            case "get":
                return count;
            case "where":
                return ctx.self().node();
            default:
                throw new IllegalArgumentException("unknown message: " + message);
        }
    }

    @Override
    public Long handoverState() {
        return count;
    }

    @Override
    public void restoreState(Long state) {
        count = state;
    }
}
