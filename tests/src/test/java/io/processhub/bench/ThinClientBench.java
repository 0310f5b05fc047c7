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
 * completed (the caller's view: its node's registry copy shows every started replica); two batches per side, in the
 * order in-JVM, thin, thin, in-JVM.
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

        // Two batches per side in the order in-JVM, thin, thin, in-JVM: a registry snapshot (each writer compacts its
        // log after about 10,000 changes, see RegistryTuning) pauses the writers for a while, and with one batch per side
        // it always fell into the second side's batch. In this order each side has one batch in each position.
        double[] jvm = new double[2];
        double[] thin = new double[2];
        jvm[0] = startRate(() -> hub.startChildren(specs("jvm-a-", startN), opts).get(3, TimeUnit.MINUTES));
        thin[0] = startRate(() -> remote.startChildren(specs("thin-a-", startN), opts).get(3, TimeUnit.MINUTES));
        thin[1] = startRate(() -> remote.startChildren(specs("thin-b-", startN), opts).get(3, TimeUnit.MINUTES));
        jvm[1] = startRate(() -> hub.startChildren(specs("jvm-b-", startN), opts).get(3, TimeUnit.MINUTES));
        double thinRate = overall(thin), jvmRate = overall(jvm);
        double ratio = thinRate / jvmRate;
        String n = String.format(Locale.ROOT, "%,d", startN);
        report.row("7", "thin start N=" + n + " ÷ in-JVM start N=" + n, "≥ 50 %",
            String.format(Locale.ROOT, "%.0f %% (%,.0f/s vs %,.0f/s)", ratio * 100, thinRate, jvmRate), ratio >= 0.5);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("children", startN);
        m.put("thin_children_per_second", thinRate);
        m.put("in_jvm_children_per_second", jvmRate);
        m.put("thin_batches_per_second", List.of(thin[0], thin[1]));
        m.put("in_jvm_batches_per_second", List.of(jvm[0], jvm[1]));
        report.section("thin_client").put("start", m);
        System.out.printf(Locale.ROOT, "   start of %,d children, one batch, twice per side (in-JVM %,.0f/s, thin %,.0f/s, thin %,.0f/s,"
            + " in-JVM %,.0f/s): thin client %,.0f/s, in-JVM %,.0f/s (%.0f %%)%n",
            startN, jvm[0], thin[0], thin[1], jvm[1], thinRate, jvmRate, ratio * 100);
    }

    /** Children per second over both batches of a side: total children over total time. */
    private static double overall(double[] rates) {
        double secs = 0;
        for (double r : rates)
            secs += 1 / r;
        return rates.length / secs;
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
