package io.processhub.bench;

import io.processhub.CheckpointConfiguration;
import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import io.processhub.HubConfiguration;
import io.processhub.ProcessHub;
import io.processhub.ProcessHubs;
import io.processhub.StartOptions;
import io.processhub.StartResult;
import io.processhub.examples.LocalNode;
import io.processhub.strategy.Placement;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.apache.ignite.Ignite;
import org.apache.ignite.Ignition;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.events.EventType;

/**
 * Part 10 of the benchmark: checkpoints (issue 12). (a) Three nodes in this JVM, two hubs side by side, one with
 * checkpoints off and one with them on, the same {@link CheckpointedCounter} children: start throughput of N
 * children, call latency, the latency of a call whose child checkpoints, and the cost of a checkpoint per child (all
 * N children checkpoint at once, until every one is stored). (b) Two nodes here and one in a JVM of its own holding
 * exactly 10,000 checkpointed children (2,000 with {@code --quick}; their ids are chosen on the hub's ring); that JVM
 * is killed with kill -9, and the time from the failure event until every lost child runs again with its checkpoint
 * restored is measured, and the restored states checked; the same crash on a hub without checkpoints is the baseline.
 */
final class CheckpointBench {
    private static final String PLAIN = "plain";
    private static final String CKPT = "ckpt";
    /** Port bases of this part's clusters (after the planned-join part's 61210..61239). */
    private static final int PORT_COST = 61_240;
    private static final int PORT_CRASH = 61_270;
    private static final int PORT_CRASH_OFF = 61_300;
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    private final Report report;
    private final Path logDir;
    private final int startN;
    private final int callOps;
    /** Children on the node that is killed: exactly this many (the others go to the two survivors). */
    private final int lostChildren;
    private ChildJvm victim;

    CheckpointBench(Report report, boolean quick, Path logDir) {
        this.report = report;
        this.logDir = logDir;
        this.startN = 10_000;
        this.callOps = quick ? 3_000 : 10_000;
        // The ids are chosen so that exactly this many land on the killed node, about a third of them all.
        this.lostChildren = quick ? 2_000 : 10_000;
    }

    void run() throws Exception {
        try {
            cost();
            crash(false);
            crash(true);
        }
        finally {
            if (victim != null)
                victim.kill();
            Ignition.stopAll(true);
        }
    }

    // ---------------------------------------------------------------- (a) cost

    private void cost() throws Exception {
        System.out.printf("%n== Checkpoints (a): ka, kb, kc in this JVM; hub %s (off) beside hub %s (on)%n", PLAIN, CKPT);
        List<Ignite> nodes = new ArrayList<>();
        for (String n : List.of("ka", "kb", "kc"))
            nodes.add(Ignition.start(config(n, PORT_COST, new HubConfiguration(PLAIN), checkpointed())));
        ProcessHub plain = ProcessHubs.hub(nodes.get(0), PLAIN);
        ProcessHub ckpt = ProcessHubs.hub(nodes.get(0), CKPT);
        StartOptions opts = StartOptions.defaults().timeout(Duration.ofMinutes(2));
        check(plain.startChildren(specs("warm-", 1_000), opts).get(3, TimeUnit.MINUTES), 1_000);
        check(ckpt.startChildren(specs("warm-", 1_000), opts).get(3, TimeUnit.MINUTES), 1_000);

        double off = startRate(plain, opts);
        double on = startRate(ckpt, opts);
        report.info("10", String.format(Locale.ROOT, "start N=%,d, checkpoints on ÷ off", startN),
            String.format(Locale.ROOT, "%.0f %% (%,.0f/s vs %,.0f/s)", 100 * on / off, on, off));

        Latencies offCall = new Latencies(callOps);
        Latencies onCall = new Latencies(callOps);
        Latencies onCheckpointing = new Latencies(callOps);
        Random rnd = new Random(9);
        for (int round = 0; round < 2; round++) { // the first round warms up and is dropped
            offCall.clear();
            onCall.clear();
            onCheckpointing.clear();
            for (int i = 0; i < callOps; i++) {
                String id = "c-" + rnd.nextInt(startN);
                long t0 = System.nanoTime();
                plain.call(id, "inc", CALL_TIMEOUT).get();
                long t1 = System.nanoTime();
                ckpt.call(id, "inc", CALL_TIMEOUT).get();
                long t2 = System.nanoTime();
                ckpt.call(id, "inc+cp", CALL_TIMEOUT).get();
                long t3 = System.nanoTime();
                offCall.add(t1 - t0);
                onCall.add(t2 - t1);
                onCheckpointing.add(t3 - t2);
            }
        }
        report.info("10", "call p50: checkpoints off / on / on and the child checkpoints in the call",
            Latencies.human(offCall.percentile(0.5)) + " / " + Latencies.human(onCall.percentile(0.5)) + " / "
                + Latencies.human(onCheckpointing.percentile(0.5)));

        // Every child checkpoints at once; the clock stops when the last one is stored.
        waitUntil(() -> CheckpointedCounter.STORED.sum() >= 2L * callOps, 120); // the calls' checkpoints landed
        List<Double> perChild = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            long before = CheckpointedCounter.STORED.sum();
            long t0 = System.nanoTime();
            for (int i = 0; i < startN; i++)
                ckpt.cast("c-" + i, "cp");
            waitUntil(() -> CheckpointedCounter.STORED.sum() >= before + startN, 300);
            perChild.add((System.nanoTime() - t0) / 1e3 / startN);
        }
        double best = perChild.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        report.info("10", String.format(Locale.ROOT, "checkpoint of %,d children at once, wall time per child (best of 3)", startN),
            String.format(Locale.ROOT, "%.1f µs (%,.0f checkpoints/s)", best, 1e6 / best));

        Map<String, Object> m = report.section("checkpoints");
        m.put("start_children", startN);
        m.put("start_per_second_off", off);
        m.put("start_per_second_on", on);
        m.put("call_off", offCall.summary());
        m.put("call_on", onCall.summary());
        m.put("call_on_with_checkpoint", onCheckpointing.summary());
        m.put("checkpoint_us_per_child_rounds", perChild);
        System.out.printf(Locale.ROOT, "   start %,d: off %,.0f/s, on %,.0f/s; call p50 off %s, on %s, with a checkpoint %s;"
                + " checkpoint of all %,d: %s µs per child%n", startN, off, on, Latencies.human(offCall.percentile(0.5)),
            Latencies.human(onCall.percentile(0.5)), Latencies.human(onCheckpointing.percentile(0.5)), startN, perChild);
        Ignition.stopAll(true);
    }

    private double startRate(ProcessHub hub, StartOptions opts) throws Exception {
        System.gc();
        long t0 = System.nanoTime();
        StartResult res = hub.startChildren(specs("c-", startN), opts).get(3, TimeUnit.MINUTES);
        double secs = (System.nanoTime() - t0) / 1e9;
        check(res, startN);
        return startN / secs;
    }

    // ---------------------------------------------------------------- (b) restore after kill -9

    private void crash(boolean checkpoints) throws Exception {
        List<String> ids = idsWithOnVictim(lostChildren);
        int n = ids.size();
        int port = checkpoints ? PORT_CRASH : PORT_CRASH_OFF;
        System.out.printf("%n== Checkpoints (b, checkpoints %s): ra, rb in this JVM, rc in a JVM of its own; %,d children; kill -9 of rc%n",
            checkpoints ? "on" : "off (baseline)", n);
        HubConfiguration cfg = new HubConfiguration(CKPT).setCheckpoints(new CheckpointConfiguration().setEnabled(checkpoints));
        List<Ignite> nodes = new ArrayList<>();
        for (String name : List.of("ra", "rb"))
            nodes.add(Ignition.start(config(name, port, cfg)));
        victim = new ChildJvm("rc", port, CKPT, checkpoints ? "checkpoints" : "member", logDir);
        ProcessHub hub = ProcessHubs.hub(nodes.get(0), CKPT);
        waitUntil(() -> hub.nodes().size() == 3, 60);
        List<ChildSpec> specs = new ArrayList<>(n);
        for (String id : ids)
            specs.add(ChildSpec.of(id, CheckpointedCounter.class));
        StartResult res = hub.startChildren(specs, StartOptions.defaults().timeout(Duration.ofMinutes(3)))
            .get(5, TimeUnit.MINUTES);
        check(res, n);
        List<String> lost = new ArrayList<>();
        for (ChildRef r : res.started())
            if (r.node().equals("rc"))
                lost.add(r.childId());
        if (lost.size() != lostChildren)
            System.out.printf("   WARNING: %,d children on rc, not the %,d chosen on the ring%n", lost.size(), lostChildren);

        // Each child saves its index (a live change only, without checkpoints), then every checkpoint on rc is stored.
        List<CompletableFuture<Object>> saves = new ArrayList<>(n);
        for (String id : ids)
            saves.add(hub.call(id, checkpoints ? "save:" + id.substring(2) : "inc", CALL_TIMEOUT));
        CompletableFuture.allOf(saves.toArray(new CompletableFuture[0])).get(5, TimeUnit.MINUTES);
        if (checkpoints)
            waitUntil(() -> allStored(hub, lost), 300);

        AtomicLong failed = new AtomicLong();
        for (Ignite node : nodes)
            node.events().localListen(evt -> {
                failed.compareAndSet(0, System.nanoTime());
                return true;
            }, EventType.EVT_NODE_FAILED);
        long restoredBefore = CheckpointedCounter.RESTORED.sum();
        System.gc();
        long kill = System.nanoTime();
        victim.kill();
        waitUntil(() -> failed.get() != 0, 60);
        long detected = failed.get();
        if (checkpoints)
            waitUntil(() -> CheckpointedCounter.RESTORED.sum() - restoredBefore >= lost.size(), 300);
        long restored = System.nanoTime();
        waitUntil(() -> lost.stream().allMatch(id -> hub.activeRef(id).map(r -> !r.node().equals("rc")).orElse(false)), 300);
        long registered = System.nanoTime();
        victim = null;

        int wrong = 0;
        if (checkpoints) {
            Map<String, CompletableFuture<Object>> values = new HashMap<>();
            for (String id : lost)
                values.put(id, hub.call(id, "get", CALL_TIMEOUT));
            for (Map.Entry<String, CompletableFuture<Object>> e : values.entrySet())
                if (!Long.valueOf(Long.parseLong(e.getKey().substring(2))).equals(e.getValue().get()))
                    wrong++;
        }

        double detectMs = (detected - kill) / 1e6;
        double restoreMs = (restored - detected) / 1e6;
        double registerMs = (registered - detected) / 1e6;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("children", n);
        m.put("lost_children", lost.size());
        m.put("ms_kill_to_EVT_NODE_FAILED", detectMs);
        if (checkpoints) {
            m.put("ms_detection_to_all_states_restored", restoreMs);
            m.put("wrong_states_after_restore", wrong);
        }
        m.put("ms_detection_to_all_registered_on_survivors", registerMs);
        report.section("checkpoints").put(checkpoints ? "crash_with_checkpoints" : "crash_without_checkpoints", m);
        if (checkpoints)
            report.info("10", String.format(Locale.ROOT, "restore of %,d checkpointed states after kill -9 (from EVT_NODE_FAILED)",
                lost.size()), String.format(Locale.ROOT, "%.0f ms (%s wrong); all registered at %.0f ms; detection %.0f ms",
                restoreMs, wrong, registerMs, detectMs));
        else
            report.info("10", String.format(Locale.ROOT, "baseline: %,d lost children registered after kill -9, checkpoints off",
                lost.size()), String.format(Locale.ROOT, "%.0f ms after detection; detection %.0f ms", registerMs, detectMs));
        System.out.printf(Locale.ROOT, "   killed rc (%,d children): detected after %.0f ms; %schildren registered %.0f ms after "
            + "detection%s%n", lost.size(), detectMs, checkpoints ? String.format(Locale.ROOT, "states restored %.0f ms and ", restoreMs) : "",
            registerMs, checkpoints ? "; " + wrong + " wrong" : "");
        Ignition.stopAll(true);
        if (wrong > 0)
            throw new IllegalStateException(wrong + " children resumed from a wrong state");
    }

    /**
     * Ids {@code r-0, r-1, ...} up to the one that makes {@code onVictim} of them land on {@code rc}: the hub's ring
     * (the default distribution) over {@code ra, rb, rc}, as the cluster will place them.
     */
    private static List<String> idsWithOnVictim(int onVictim) {
        Placement ring = new HubConfiguration(CKPT).getDistributionStrategy().placement(List.of("ra", "rb", "rc"));
        List<String> ids = new ArrayList<>();
        for (int i = 0, victim = 0; victim < onVictim; i++) {
            String id = "r-" + i;
            ids.add(id);
            if (ring.owner(id).equals("rc"))
                victim++;
        }
        return ids;
    }

    private static boolean allStored(ProcessHub hub, List<String> ids) {
        List<CompletableFuture<Object>> answers = new ArrayList<>(ids.size());
        for (String id : ids)
            answers.add(hub.call(id, "stored", CALL_TIMEOUT));
        for (CompletableFuture<Object> a : answers)
            if (!Boolean.TRUE.equals(a.join()))
                return false;
        return true;
    }

    // ---------------------------------------------------------------- helpers

    private static HubConfiguration checkpointed() {
        return new HubConfiguration(CKPT).setCheckpoints(new CheckpointConfiguration().setEnabled(true));
    }

    private static IgniteConfiguration config(String name, int port, HubConfiguration... hubs) {
        IgniteConfiguration cfg = LocalNode.config(name, port, hubs);
        if (port == PORT_COST)
            cfg.setFailureDetectionTimeout(20_000); // two shared cores and big collections: no false failures
        return cfg; // the crash cluster keeps the suite's 3 s: its detection time is one of the figures
    }

    private static List<ChildSpec> specs(String prefix, int n) {
        List<ChildSpec> res = new ArrayList<>(n);
        for (int i = 0; i < n; i++)
            res.add(ChildSpec.of(prefix + i, CheckpointedCounter.class));
        return res;
    }

    private static void check(StartResult res, int n) {
        if (!res.isOk() || res.started().size() != n)
            throw new IllegalStateException("start of " + n + " children failed: " + res.errors().size() + " errors, "
                + res.started().size() + " started");
    }

    private static void waitUntil(BooleanSupplier cond, int timeoutSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline)
                throw new IllegalStateException("condition not met within " + timeoutSeconds + " s");
            Thread.sleep(2);
        }
    }
}
