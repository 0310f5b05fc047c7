package io.processhub.tests.children;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Named one-shot gates shared by every node of a test JVM: a child waits at a gate until the test opens it,
 * so "the child is still busy" is a fact the test controls instead of a race it hopes to win.
 */
public final class Gates {
    private static final ConcurrentHashMap<String, CountDownLatch> GATES = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<String, AtomicInteger> ARRIVALS = new ConcurrentHashMap<>();

    private Gates() {
    }

    private static CountDownLatch gate(String name) {
        return GATES.computeIfAbsent(name, n -> new CountDownLatch(1));
    }

    /** Lets everything waiting at {@code name} (now or later) through. */
    public static void open(String name) {
        gate(name).countDown();
    }

    /** How many times something arrived at the gate (waiting there now, or let through since). */
    public static int arrivals(String name) {
        AtomicInteger n = ARRIVALS.get(name);
        return n == null ? 0 : n.get();
    }

    /** Waits until the gate is opened; gives up after 30 s so a broken test cannot hang a pool thread forever. */
    public static void pass(String name) throws InterruptedException {
        ARRIVALS.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
        if (!gate(name).await(30, TimeUnit.SECONDS))
            throw new IllegalStateException("gate " + name + " was never opened");
    }
}
