package io.processhub.bench;

import io.processhub.ChildContext;
import io.processhub.StatefulChild;
import io.processhub.StopReason;
import java.util.concurrent.atomic.LongAdder;

/**
 * Part 11's child: counts {@code "inc"} calls, and checks the casts of the part's caster, each its number for this
 * child ({@code Long}, from 1): one that is not the next (overtaken, repeated, after a gap) is counted in
 * {@link #OUT_OF_ORDER}, shared by the in-JVM nodes. {@code "casts"} answers the casts it has. All of it moves with
 * the child (HotSwap).
 */
public class OrderedCounter implements StatefulChild<long[]> {
    static final LongAdder OUT_OF_ORDER = new LongAdder();

    private long calls;
    private long lastCast;
    private long casts;

    public OrderedCounter() {
    }

    @Override
    public void start(ChildContext ctx) {
    }

    @Override
    public Object handle(Object message) {
        if (message instanceof Long) {
            long seq = (Long)message;
            if (seq != lastCast + 1)
                OUT_OF_ORDER.increment();
            lastCast = Math.max(lastCast, seq);
            casts++;
            return null;
        }
        return "casts".equals(message) ? casts : ++calls;
    }

    @Override
    public long[] handoverState() {
        return new long[] {calls, lastCast, casts};
    }

    @Override
    public void restoreState(long[] state) {
        calls = state[0];
        lastCast = state[1];
        casts = state[2];
    }

    @Override
    public void stop(StopReason reason) {
    }
}
