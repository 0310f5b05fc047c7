package io.processhub.tests.children;

import io.processhub.ChildContext;
import io.processhub.ChildProcess;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Detects overlapping messages: each {@code handle} marks itself in flight for a short stretch of simulated
 * work and counts an overlap if another message of the same instance is in flight meanwhile.
 */
public class OverlapProbeChild implements ChildProcess {
    public static final AtomicInteger OVERLAPS = new AtomicInteger();

    private final AtomicInteger inFlight = new AtomicInteger();
    private long handled;

    public OverlapProbeChild() {
    }

    @Override
    public void start(ChildContext ctx) {
    }

    @Override
    public Object handle(Object message) {
        if (inFlight.incrementAndGet() > 1)
            OVERLAPS.incrementAndGet();
        long until = System.nanoTime() + 20_000; // 20 µs of simulated work widens the window for an overlap
        while (System.nanoTime() < until)
            Thread.onSpinWait();
        handled++;
        inFlight.decrementAndGet();
        return handled;
    }
}
