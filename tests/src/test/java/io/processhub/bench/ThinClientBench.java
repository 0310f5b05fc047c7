package io.processhub.bench;

import io.processhub.ChildSpec;
import io.processhub.HubConfiguration;
import io.processhub.ProcessHub;
import io.processhub.ProcessHubs;
import io.processhub.StartOptions;
import io.processhub.StartResult;
import io.processhub.client.ProcessHubClient;
import io.processhub.client.RemoteHub;
import io.processhub.examples.CounterChild;
import io.processhub.examples.LocalNode;
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
 * completed (the caller's view: its node's registry copy shows every started replica); four batches per side in the
 * order in-JVM, thin, thin, in-JVM, twice, compared by their medians.
 */
final class ThinClientBench {
    private static final String HUB = "thin";
    private static final String ECHO = "bench-echo";
    /** Port base of this part's cluster (after the other parts' 61000..61149). */
    private static final int PORT = 61_150;
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

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
                remote.call(id, "get", CALL_TIMEOUT).get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
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
        // Warm-up of both paths with a small batch, not measured.
        check(hub.startChildren(specs("warm-jvm-", 1_000), opts).get(3, TimeUnit.MINUTES), 1_000);
        check(remote.startChildren(specs("warm-thin-", 1_000), opts).get(3, TimeUnit.MINUTES), 1_000);

        // Batches in the order in-JVM, thin, thin, in-JVM, twice, and each side's median: a registry snapshot (a writer
        // compacts its log once it holds ~10,000 or more changes, see RegistryTuning) pauses that node's registry writes
        // for up to a second or so, and falls on whichever batch crosses the threshold, the same one in every run of
        // the same sequence. With one batch per side it always hit the second side.
        List<Double> jvm = new ArrayList<>();
        List<Double> thin = new ArrayList<>();
        StringBuilder order = new StringBuilder();
        for (int round = 0; round < 2; round++)
            for (boolean viaThin : new boolean[] {false, true, true, false}) {
                String prefix = (viaThin ? "thin-" : "jvm-") + round + (viaThin ? thin.size() : jvm.size()) + "-";
                double rate = viaThin
                    ? startRate(() -> remote.startChildren(specs(prefix, startN), opts).get(3, TimeUnit.MINUTES))
                    : startRate(() -> hub.startChildren(specs(prefix, startN), opts).get(3, TimeUnit.MINUTES));
                (viaThin ? thin : jvm).add(rate);
                order.append(order.length() == 0 ? "" : ", ").append(viaThin ? "thin " : "in-JVM ")
                    .append(String.format(Locale.ROOT, "%,.0f/s", rate));
            }
        double thinRate = median(thin), jvmRate = median(jvm);
        double ratio = thinRate / jvmRate;
        String n = String.format(Locale.ROOT, "%,d", startN);
        report.row("7", "thin start N=" + n + " ÷ in-JVM start N=" + n + " (medians)", "≥ 50 %",
            String.format(Locale.ROOT, "%.0f %% (%,.0f/s vs %,.0f/s)", ratio * 100, thinRate, jvmRate), ratio >= 0.5);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("children", startN);
        m.put("thin_children_per_second", thinRate);
        m.put("in_jvm_children_per_second", jvmRate);
        m.put("batches_in_order", order.toString());
        report.section("thin_client").put("start", m);
        System.out.printf(Locale.ROOT, "   start of %,d children, one batch, 4 per side (%s): medians thin client %,.0f/s,"
            + " in-JVM %,.0f/s (%.0f %%)%n", startN, order, thinRate, jvmRate, ratio * 100);
    }

    private static double median(List<Double> rates) {
        List<Double> sorted = new ArrayList<>(rates);
        sorted.sort(null);
        int mid = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(mid) : (sorted.get(mid - 1) + sorted.get(mid)) / 2;
    }

    private interface Start {
        StartResult run() throws Exception;
    }

    private double startRate(Start start) throws Exception {
        System.gc();
        long t0 = System.nanoTime();
        StartResult res = start.run();
        double secs = (System.nanoTime() - t0) / 1e9;
        check(res, startN);
        return startN / secs;
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
