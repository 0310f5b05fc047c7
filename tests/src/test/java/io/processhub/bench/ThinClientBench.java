package io.processhub.bench;

import io.processhub.ChildSpec;
import io.processhub.HubConfiguration;
import io.processhub.ProcessHub;
import io.processhub.ProcessHubs;
import io.processhub.StartOptions;
import io.processhub.StartResult;
import io.processhub.StopOptions;
import io.processhub.StopResult;
import io.processhub.client.ProcessHubClient;
import io.processhub.client.RemoteHub;
import io.processhub.examples.CounterChild;
import io.processhub.examples.LocalNode;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.ignite.Ignite;
import org.apache.ignite.Ignition;
import org.apache.ignite.client.IgniteClient;
import org.apache.ignite.configuration.ClientConfiguration;
import org.apache.ignite.configuration.IgniteConfiguration;

/**
 * Part 7 of the benchmark: a hub seen from a thin client, against an anchor measured in the same run through the
 * same {@link IgniteClient}: {@link EchoService}, a plain Ignite service with one method, deployed as a node
 * singleton on the same three nodes. Call latency: interleaved calls of a child (through
 * {@code RemoteHub.callAndWait}, the synchronous form like the echo's proxy call, and {@code RemoteHub.call}'s
 * future waited for at once) and of the echo service. Start throughput: N children in one batch through the thin
 * client against the same batch started by {@code ProcessHub.startChildren} on a node, both until their future
 * completed (the caller's view: its node's registry copy shows every started replica); runs of four batches of one
 * side in the order in-JVM, thin, thin, in-JVM, the first batch of each run not counted, each batch from the same
 * registry (the batch before stopped again); six batches per side compared by their medians (and the CPU each batch
 * cost this JVM).
 */
final class ThinClientBench {
    private static final String HUB = "thin";
    private static final String ECHO = "bench-echo";
    /** Port base of this part's cluster (after the other parts' 61000..61149). */
    private static final int PORT = 61_150;
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    /** Start batches in a run of one side; the first is not counted. */
    private static final int RUN = 4;
    /**
     * The registry's quiet moment after each batch: a writer due for a snapshot writes it once it has published
     * nothing for 0.5 s, checked every second (LogCompactor).
     */
    private static final long QUIET_MILLIS = 2_000;

    private final Report report;
    private final int callOps;
    private final int callTargets;
    private final int startN;

    ThinClientBench(Report report, boolean quick) {
        this.report = report;
        this.callOps = quick ? 2_000 : 10_000;
        this.callTargets = 1_000;
        this.startN = 10_000;
    }

    void run() throws Exception {
        System.out.printf("%n== Thin client: 3 nodes in this JVM (ta, tb, tc), one IgniteClient; anchor: echo service%n");
        List<Ignite> nodes = new ArrayList<>();
        for (String n : List.of("ta", "tb", "tc")) {
            IgniteConfiguration cfg = LocalNode.config(n, PORT, new HubConfiguration(HUB));
            cfg.setFailureDetectionTimeout(20_000); // two shared cores and big collections: no false failures
            nodes.add(Ignition.start(cfg));
        }
        nodes.get(0).services().deployNodeSingleton(ECHO, new EchoService());
        ProcessHub hub = ProcessHubs.hub(nodes.get(0), HUB);
        int first = PORT + 2 * LocalNode.MAX_NODES;
        try (IgniteClient client = Ignition.startClient(new ClientConfiguration()
                .setAddresses("127.0.0.1:" + first + ".." + (first + LocalNode.MAX_NODES - 1)));
             ProcessHubClient processHubs = ProcessHubClient.of(client)) {
            RemoteHub remote = processHubs.hub(HUB);
            EchoApi echo = client.services().serviceProxy(ECHO, EchoApi.class);
            calls(hub, remote, echo);
            starts(hub, remote);
        }
        finally {
            Ignition.stopAll(true);
        }
    }

    private void calls(ProcessHub hub, RemoteHub remote, EchoApi echo) throws Exception {
        StartResult res = hub.startChildren(specs("call-", callTargets), StartOptions.defaults().timeout(Duration.ofMinutes(1)))
            .get(2, TimeUnit.MINUTES);
        if (!res.isOk())
            throw new IllegalStateException("call targets did not start: " + res);
        Latencies ours = new Latencies(callOps);
        Latencies future = new Latencies(callOps);
        Latencies anchor = new Latencies(callOps);
        Random rnd = new Random(7);
        for (int round = 0; round < 2; round++) { // the first round warms up the paths and is dropped
            ours.clear();
            future.clear();
            anchor.clear();
            for (int i = 0; i < callOps; i++) {
                String id = "call-" + rnd.nextInt(callTargets);
                long t0 = System.nanoTime();
                remote.callAndWait(id, "get", CALL_TIMEOUT);
                long t1 = System.nanoTime();
                echo.echo("get");
                long t2 = System.nanoTime();
                remote.call(id, "get", CALL_TIMEOUT).get(); // the call's own timeout bounds it
                long t3 = System.nanoTime();
                ours.add(t1 - t0);
                anchor.add(t2 - t1);
                future.add(t3 - t2);
            }
        }
        long o50 = ours.percentile(0.5), a50 = anchor.percentile(0.5), f50 = future.percentile(0.5);
        double ratio = (double)o50 / a50;
        report.row("7", "thin callAndWait() p50 ÷ echo service p50", "≤ 1.5×",
            String.format(Locale.ROOT, "%.2f× (%s vs %s)", ratio, Latencies.human(o50), Latencies.human(a50)), ratio <= 1.5);
        report.info("7", "thin callAndWait() p95 vs echo service p95",
            Latencies.human(ours.percentile(0.95)) + " vs " + Latencies.human(anchor.percentile(0.95)));
        report.info("7", "thin call() future, get() at once: p50 ÷ echo p50",
            String.format(Locale.ROOT, "%.2f× (%s)", (double)f50 / a50, Latencies.human(f50)));
        Map<String, Object> sec = report.section("thin_client");
        sec.put("call_and_wait", ours.summary());
        sec.put("call_future", future.summary());
        sec.put("echo_service", anchor.summary());
        System.out.printf(Locale.ROOT, "   %,d interleaved calls: RemoteHub.callAndWait p50 %s p95 %s, RemoteHub.call().get() p50 %s p95 %s,"
            + " echo service p50 %s p95 %s%n", callOps, Latencies.human(o50), Latencies.human(ours.percentile(0.95)),
            Latencies.human(f50), Latencies.human(future.percentile(0.95)), Latencies.human(a50), Latencies.human(anchor.percentile(0.95)));
    }

    private void starts(ProcessHub hub, RemoteHub remote) throws Exception {
        StartOptions opts = StartOptions.defaults().timeout(Duration.ofMinutes(2));
        Start viaNode = prefix -> hub.startChildren(specs(prefix, startN), opts).get(3, TimeUnit.MINUTES);
        Start viaThin = prefix -> remote.startChildren(specs(prefix, startN), opts).get(3, TimeUnit.MINUTES);
        // Warm-up of both paths with a batch of the measured size each, not measured.
        startAndStop(hub, viaNode, "warm-jvm-");
        startAndStop(hub, viaThin, "warm-thin-");

        // Batches in runs of four of one side: in-JVM, thin, thin, in-JVM; the first batch of each run, the first
        // after a change of side, is not counted (a warm-up of that side). Every batch starts from the same registry:
        // the one before it is stopped again, then the registry is left quiet for a moment, so a writer whose log is
        // due for a snapshot (RegistryTuning, LogCompactor: it waits for half a second without writes) writes it
        // then, not during the next batch. Without a fixed heap (-Xms as -Xmx), about every other batch is two to four
        // times slower on both sides alike: the System.gc() before it lets G1 shrink the heap and the batch grows it
        // again (BENCHMARKS.md, thin client session 6); each side's figure is the median of six.
        List<Batch> jvm = new ArrayList<>();
        List<Batch> thin = new ArrayList<>();
        List<Batch> afterSwitch = new ArrayList<>();
        StringBuilder order = new StringBuilder();
        for (boolean thinSide : new boolean[] {false, true, true, false})
            for (int i = 0; i < RUN; i++) {
                List<Batch> side = thinSide ? thin : jvm;
                String prefix = (thinSide ? "thin-" : "jvm-") + side.size() + "-" + afterSwitch.size() + "-" + i + "-";
                Batch b = startAndStop(hub, thinSide ? viaThin : viaNode, prefix);
                (i == 0 ? afterSwitch : side).add(b);
                order.append(order.length() == 0 ? "" : ", ").append(i == 0 ? "[" : "").append(thinSide ? "thin " : "in-JVM ")
                    .append(String.format(Locale.ROOT, "%,.0f/s (CPU %,.0f ms)", b.rate, b.cpuMillis)).append(i == 0 ? "]" : "");
            }
        double thinRate = median(rates(thin)), jvmRate = median(rates(jvm));
        double ratio = thinRate / jvmRate;
        double thinCpu = median(cpus(thin)), jvmCpu = median(cpus(jvm));
        String n = String.format(Locale.ROOT, "%,d", startN);
        report.row("7", "thin start N=" + n + " ÷ in-JVM start (medians of " + thin.size() + ")", "≥ 50 %",
            String.format(Locale.ROOT, "%.0f %% (%,.0f/s vs %,.0f/s)", ratio * 100, thinRate, jvmRate), ratio >= 0.5);
        report.info("7", "CPU of this JVM per start of " + n + ", thin vs in-JVM (medians)",
            String.format(Locale.ROOT, "%,.0f ms vs %,.0f ms", thinCpu, jvmCpu));
        report.info("7", "first batch of each run (not counted; three of four follow the other side), median",
            String.format(Locale.ROOT, "%,.0f/s, CPU %,.0f ms", median(rates(afterSwitch)), median(cpus(afterSwitch))));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("children", startN);
        m.put("thin_children_per_second", thinRate);
        m.put("in_jvm_children_per_second", jvmRate);
        m.put("thin_cpu_ms", thinCpu);
        m.put("in_jvm_cpu_ms", jvmCpu);
        m.put("after_switch_children_per_second", median(rates(afterSwitch)));
        m.put("batches_in_order", order.toString());
        report.section("thin_client").put("start", m);
        System.out.printf(Locale.ROOT, "   start of %,d children, one batch, %d counted per side (%s; [first of a run, not counted]):"
            + " medians thin client %,.0f/s, in-JVM %,.0f/s (%.0f %%); CPU per batch thin %,.0f ms, in-JVM %,.0f ms%n", startN,
            thin.size(), order, thinRate, jvmRate, ratio * 100, thinCpu, jvmCpu);
    }

    /** One measured start: children per second until its future completed, and the CPU this JVM spent meanwhile. */
    private static final class Batch {
        final double rate;
        final double cpuMillis;

        Batch(double rate, double cpuMillis) {
            this.rate = rate;
            this.cpuMillis = cpuMillis;
        }
    }

    private static List<Double> rates(List<Batch> batches) {
        List<Double> res = new ArrayList<>();
        batches.forEach(b -> res.add(b.rate));
        return res;
    }

    private static List<Double> cpus(List<Batch> batches) {
        List<Double> res = new ArrayList<>();
        batches.forEach(b -> res.add(b.cpuMillis));
        return res;
    }

    /**
     * A measured start, then, not measured, the stop of its children and a quiet moment for the registry. The CPU is
     * the whole JVM's (client, three nodes): what the thin path adds to the work, whatever else runs on the machine.
     */
    private Batch startAndStop(ProcessHub hub, Start start, String prefix) throws Exception {
        System.gc();
        com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean)ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        StartResult res = start.run(prefix);
        double secs = (System.nanoTime() - t0) / 1e9;
        double cpuMillis = (os.getProcessCpuTime() - cpu0) / 1e6;
        check(res, startN);
        List<String> ids = new ArrayList<>(startN);
        res.started().forEach(r -> ids.add(r.childId()));
        StopResult stopped = hub.stopChildren(ids, StopOptions.defaults().timeout(Duration.ofMinutes(2))).get(3, TimeUnit.MINUTES);
        if (!stopped.isOk())
            throw new IllegalStateException("stop of " + ids.size() + " children failed: " + stopped.errors().size() + " errors");
        Thread.sleep(QUIET_MILLIS); // no writes: a snapshot that is due is written now, not during the next batch
        return new Batch(startN / secs, cpuMillis);
    }

    private static double median(List<Double> rates) {
        List<Double> sorted = new ArrayList<>(rates);
        sorted.sort(null);
        int mid = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(mid) : (sorted.get(mid - 1) + sorted.get(mid)) / 2;
    }

    private interface Start {
        StartResult run(String idPrefix) throws Exception;
    }

    private static void check(StartResult res, int n) {
        if (!res.isOk() || res.started().size() != n)
            throw new IllegalStateException("start of " + n + " children failed: " + res.errors().size() + " errors, "
                + res.started().size() + " started");
    }

    private static List<ChildSpec> specs(String prefix, int n) {
        List<ChildSpec> res = new ArrayList<>(n);
        for (int i = 0; i < n; i++)
            res.add(ChildSpec.of(prefix + i, CounterChild.class.getName()));
        return res;
    }
}
