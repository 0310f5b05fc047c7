package io.processhub.bench;

import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import io.processhub.HubConfiguration;
import io.processhub.ProcessHub;
import io.processhub.ProcessHubs;
import io.processhub.ReplicaRole;
import io.processhub.StartOptions;
import io.processhub.examples.LocalNode;
import io.processhub.strategy.ConsistentHashing;
import io.processhub.strategy.HotSwap;
import io.processhub.strategy.Placement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ignite.Ignite;
import org.apache.ignite.Ignition;
import org.apache.ignite.configuration.IgniteConfiguration;

/**
 * Part 11 of the benchmark: calls during a HotSwap handover (issue 11, point 4). Three nodes in this JVM run N
 * stateful children; caller threads on the first node call them in turn, each waiting for its answer, while a
 * fourth node joins (and the children it owns move to it with their state) and later leaves gracefully. Counts
 * the calls that failed during each move (target 0) and compares call latency during the join with the
 * latency before it (p50, p99). "During" runs from the start of the join until the first node's registry copy
 * shows every child active once on its ring owner. A caster thread on the first node casts numbered messages to
 * every child in turn throughout ({@link OrderedCounter}); the part counts the casts handled out of order (or twice)
 * and those never handled (targets 0).
 */
final class HandoverBench {
    private static final String HUB = "handover";
    /** Port base of this part's cluster (after the other parts' 61000..61179). */
    private static final int PORT = 61_180;
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    private static final int CALLERS = 4;

    private final Report report;
    private final int children;
    private final long baselineMillis;

    /** Which phase a call belongs to: the phase when it was sent. */
    private enum Phase { BEFORE, JOIN, SETTLED, LEAVE, DONE }

    private volatile Phase phase = Phase.BEFORE;
    private final Map<Phase, ConcurrentLinkedQueue<Long>> latencies = new LinkedHashMap<>();
    private final Map<Phase, AtomicLong> failed = new LinkedHashMap<>();
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    /** Per child, the casts sent to it (the caster's thread only, read once it stopped). */
    private long[] castsSent;

    HandoverBench(Report report, boolean quick) {
        this.report = report;
        this.children = quick ? 1_000 : 3_000;
        this.baselineMillis = quick ? 3_000 : 10_000;
        for (Phase p : Phase.values()) {
            latencies.put(p, new ConcurrentLinkedQueue<>());
            failed.put(p, new AtomicLong());
        }
    }

    void run() throws Exception {
        System.out.printf("%n== Handover: 3 nodes in this JVM (ha, hb, hc), HotSwap, %d stateful children, %d callers on ha;"
            + " hd joins, then leaves%n", children, CALLERS);
        List<String> names = new ArrayList<>(List.of("ha", "hb", "hc"));
        List<Ignite> nodes = new ArrayList<>();
        for (String n : names)
            nodes.add(start(n));
        ProcessHub hub = ProcessHubs.hub(nodes.get(0), HUB);
        List<ChildSpec> specs = new ArrayList<>(children);
        List<String> ids = new ArrayList<>(children);
        for (int i = 0; i < children; i++) {
            specs.add(ChildSpec.of("h-" + i, OrderedCounter.class));
            ids.add("h-" + i);
        }
        if (!hub.startChildren(specs, StartOptions.defaults().timeout(Duration.ofMinutes(2))).get(3, TimeUnit.MINUTES).isOk())
            throw new IllegalStateException("the children did not all start");
        awaitSettled(hub, ids, names);

        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> callers = new ArrayList<>();
        for (int t = 0; t < CALLERS; t++) {
            int offset = t * children / CALLERS;
            Thread th = new Thread(() -> call(hub, ids, offset, running), "handover-caller-" + t);
            th.start();
            callers.add(th);
        }
        castsSent = new long[children];
        Thread caster = new Thread(() -> cast(hub, ids, running), "handover-caster");
        caster.start();
        callers.add(caster);
        try {
            Thread.sleep(baselineMillis); // the baseline: calls on a settled hub
            long joinStart = System.nanoTime();
            phase = Phase.JOIN;
            names.add("hd");
            Ignite joined = start("hd");
            awaitSettled(hub, ids, names);
            long joinNanos = System.nanoTime() - joinStart;
            phase = Phase.SETTLED;
            Thread.sleep(baselineMillis / 3);
            long leaveStart = System.nanoTime();
            phase = Phase.LEAVE;
            names.remove("hd");
            joined.close();
            awaitSettled(hub, ids, names);
            long leaveNanos = System.nanoTime() - leaveStart;
            phase = Phase.DONE;
            Thread.sleep(200);
            running.set(false);
            for (Thread th : callers)
                th.join();
            report(joinNanos, leaveNanos, castsLost(hub, ids));
        }
        finally {
            running.set(false);
            Ignition.stopAll(true);
        }
    }

    private Ignite start(String name) {
        IgniteConfiguration cfg = LocalNode.config(name, PORT, new HubConfiguration(HUB).setMigrationStrategy(new HotSwap()));
        cfg.setFailureDetectionTimeout(20_000); // two shared cores: no false failures
        return Ignition.start(cfg);
    }

    private void call(ProcessHub hub, List<String> ids, int offset, AtomicBoolean running) {
        for (int i = offset; running.get(); i++) {
            String id = ids.get(i % ids.size());
            Phase p = phase;
            long t0 = System.nanoTime();
            try {
                hub.call(id, "inc", CALL_TIMEOUT).get(CALL_TIMEOUT.toMillis() + 5_000, TimeUnit.MILLISECONDS);
                latencies.get(p).add(System.nanoTime() - t0);
            }
            catch (Exception e) {
                failed.get(p).incrementAndGet();
                if (failures.size() < 5)
                    failures.add(id + ": " + e);
            }
        }
    }

    /** Casts every child in turn, each its next number, a round every 20 ms at most (so casts do not crowd out calls). */
    private void cast(ProcessHub hub, List<String> ids, AtomicBoolean running) {
        while (running.get()) {
            for (int i = 0; i < ids.size(); i++) {
                try {
                    hub.cast(ids.get(i), castsSent[i] + 1);
                    castsSent[i]++;
                }
                catch (RuntimeException e) {
                    if (failures.size() < 5)
                        failures.add(ids.get(i) + " (cast): " + e);
                }
            }
            try {
                Thread.sleep(20);
            }
            catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The casts sent and never handled, once every child has them all or 30 s passed. */
    private long castsLost(ProcessHub hub, List<String> ids) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            long lost = 0;
            for (int i = 0; i < ids.size(); i++)
                lost += castsSent[i] - (long)hub.call(ids.get(i), "casts", CALL_TIMEOUT).get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (lost == 0 || System.nanoTime() > deadline)
                return lost;
            Thread.sleep(500);
        }
    }

    /** Until ha's registry copy shows every child once, active, on its ring owner among {@code names}. */
    private static void awaitSettled(ProcessHub hub, List<String> ids, List<String> names) throws InterruptedException {
        Placement ring = new ConsistentHashing().placement(names);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (true) {
            boolean settled = true;
            for (String id : ids) {
                List<ChildRef> refs = hub.refs(id);
                if (refs.size() != 1 || refs.get(0).role() != ReplicaRole.ACTIVE || !refs.get(0).node().equals(ring.owner(id))) {
                    settled = false;
                    break;
                }
            }
            if (settled)
                return;
            if (System.nanoTime() > deadline)
                throw new IllegalStateException("the hub did not settle within 3 minutes on " + names);
            Thread.sleep(10);
        }
    }

    private void report(long joinNanos, long leaveNanos, long castsLost) {
        Latencies before = latencies(Phase.BEFORE);
        Latencies join = latencies(Phase.JOIN);
        Latencies leave = latencies(Phase.LEAVE);
        long joinFailed = failed.get(Phase.JOIN).get();
        long leaveFailed = failed.get(Phase.LEAVE).get();
        long otherFailed = failed.get(Phase.BEFORE).get() + failed.get(Phase.SETTLED).get() + failed.get(Phase.DONE).get();
        report.row("11", "calls failed during a join under load (" + children + " HotSwap children, " + CALLERS + " callers)", "0",
            joinFailed + " of " + (join.count() + joinFailed), joinFailed == 0);
        report.row("11", "calls failed during a graceful leave under load", "0",
            leaveFailed + " of " + (leave.count() + leaveFailed), leaveFailed == 0);
        long castsSentTotal = 0;
        for (long n : castsSent)
            castsSentTotal += n;
        long reordered = OrderedCounter.OUT_OF_ORDER.sum();
        report.row("11", "casts handled out of order or twice (a join and a graceful leave, 1 caster)", "0",
            reordered + " of " + castsSentTotal, reordered == 0);
        report.row("11", "casts lost (sent, never handled)", "0", castsLost + " of " + castsSentTotal, castsLost == 0);
        report.info("11", "call p50 before → during the join", String.format(Locale.ROOT, "%s → %s (join settled in %d ms)",
            Latencies.human(before.percentile(0.5)), Latencies.human(join.percentile(0.5)), TimeUnit.NANOSECONDS.toMillis(joinNanos)));
        report.info("11", "call p99 before → during the join", Latencies.human(before.percentile(0.99)) + " → "
            + Latencies.human(join.percentile(0.99)));
        report.info("11", "call p50 / p99 during the graceful leave", String.format(Locale.ROOT, "%s / %s (settled in %d ms)",
            Latencies.human(leave.percentile(0.5)), Latencies.human(leave.percentile(0.99)), TimeUnit.NANOSECONDS.toMillis(leaveNanos)));
        if (otherFailed > 0 || !failures.isEmpty())
            report.notes.add("Part 11: " + otherFailed + " calls failed outside the moves; first failures: " + failures);
        Map<String, Object> sec = report.section("handover");
        sec.put("children", children);
        sec.put("callers", CALLERS);
        sec.put("join_ms", TimeUnit.NANOSECONDS.toMillis(joinNanos));
        sec.put("leave_ms", TimeUnit.NANOSECONDS.toMillis(leaveNanos));
        sec.put("join_failed", joinFailed);
        sec.put("leave_failed", leaveFailed);
        sec.put("other_failed", otherFailed);
        sec.put("casts_sent", castsSentTotal);
        sec.put("casts_reordered", reordered);
        sec.put("casts_lost", castsLost);
        sec.put("before", before.summary());
        sec.put("join", join.summary());
        sec.put("leave", leave.summary());
    }

    private Latencies latencies(Phase p) {
        ConcurrentLinkedQueue<Long> samples = latencies.get(p);
        Latencies l = new Latencies(Math.max(1, samples.size()));
        for (long s : samples)
            l.add(s);
        if (l.count() == 0)
            l.add(0);
        return l;
    }
}
