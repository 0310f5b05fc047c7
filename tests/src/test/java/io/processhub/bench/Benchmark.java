package io.processhub.bench;

import io.processhub.ChildInfo;
import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import io.processhub.HubConfiguration;
import io.processhub.ProcessHub;
import io.processhub.ProcessHubs;
import io.processhub.StartOptions;
import io.processhub.StartResult;
import io.processhub.StopOptions;
import io.processhub.examples.CounterChild;
import io.processhub.examples.LocalNode;
import io.processhub.hook.Hook;
import io.processhub.strategy.ConsistentHashing;
import io.processhub.strategy.Placement;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.Ignition;
import org.apache.ignite.cache.CacheMode;
import org.apache.ignite.configuration.CacheConfiguration;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.events.EventType;
import org.apache.ignite.services.ServiceConfiguration;
import org.apache.ignite.services.ServiceDescriptor;

/**
 * The benchmark of issue 4: start throughput, lookup and call latency, failover, rebalance and memory of a
 * hub, side by side with Ignite's service grid (key-affinity singletons), on real Ignite nodes, in one run.
 *
 * <p>Run from the repository root: {@code mvn -q -pl tests -am test-compile exec:exec@bench}
 * (add {@code -Dbench.args=--quick} for a small, fast run). Prints a table (target, measured, PASS / MISS)
 * and writes the same figures as JSON ({@code tests/target/benchmark.json}) and Markdown
 * ({@code tests/target/benchmark.md}).
 *
 * <p>Arguments: {@code --quick} (small sizes), {@code --json <file>}, {@code --only hub,grid,failover,rebalance,thin,idle,plannedjoin,checkpoint,handover},
 * {@code --sizes 1000,10000,100000} (the start sizes), {@code --grid-batch 5000} (services per deployAll call),
 * {@code --trace} (stage times and heap growth by class, for finding where time and memory go).
 * Each part runs on a cluster of its own (port bases 61000, 61030, 61060, 61090, 61150 (thin client): outside the range the
 * test suite and the ephemeral ports use), one after the other.
 */
public final class Benchmark {
    private static final String HUB = "bench";
    private static final int PORT_HUB = 61_000;
    private static final int PORT_GRID = 61_030;
    private static final int PORT_FAILOVER = 61_060;
    private static final int PORT_REBALANCE = 61_090;
    private static final String AFFINITY_CACHE = "bench-service-affinity";

    private final boolean quick;
    private final Path jsonFile;
    private final Set<String> parts;
    private final Report report = new Report();

    // Sizes.
    private final int[] sizes;
    private final int warmup;
    /** Services per deployAll call: 5 000 was the fastest of 250, 1 000, 5 000, 10 000 and 30 000 in trial runs. */
    private int gridBatch = 5_000;
    private final long gridBudgetNanos;
    private final int lookupOps;
    private final int cacheGetOps;
    private final int callOps;
    private final int failoverChildren;
    private final int rebalanceChildren;

    /** Start rates by N, to compare with the service grid. */
    private final Map<Integer, Double> hubRates = new LinkedHashMap<>();
    private final Map<Integer, double[]> gridRates = new LinkedHashMap<>(); // N -> {rate, deployed, capped(0/1), seconds}
    private Latencies hubCall;
    private Latencies gridCall;
    private ChildJvm childJvm;
    /** Developer aid: prints when each node passed each stage of the largest start. */
    private static boolean trace;

    private Benchmark(boolean quick, Path jsonFile, Set<String> parts, int[] sizes) {
        this.quick = quick;
        this.jsonFile = jsonFile;
        this.parts = parts;
        this.sizes = sizes != null ? sizes : quick ? new int[] {1_000, 5_000} : new int[] {1_000, 10_000, 100_000};
        this.warmup = quick ? 1_000 : 3_000;
        this.gridBudgetNanos = TimeUnit.SECONDS.toNanos(quick ? 60 : 300);
        this.lookupOps = quick ? 300_000 : 3_000_000;
        this.cacheGetOps = quick ? 30_000 : 300_000;
        this.callOps = quick ? 3_000 : 20_000;
        this.failoverChildren = quick ? 3_000 : 30_000;
        this.rebalanceChildren = quick ? 3_000 : 30_000;
    }

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        Path json = Paths.get("target", "benchmark.json");
        Set<String> parts = new LinkedHashSet<>(List.of("hub", "grid", "failover", "rebalance", "thin", "idle", "plannedjoin", "checkpoint", "handover"));
        int[] sizes = null;
        int gridBatchArg = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick":
                    quick = true;
                    break;
                case "--json":
                    json = Paths.get(args[++i]);
                    break;
                case "--only":
                    parts = new LinkedHashSet<>(Arrays.asList(args[++i].split(",")));
                    break;
                case "--grid-batch":
                    gridBatchArg = Integer.parseInt(args[++i]);
                    break;
                case "--trace":
                    trace = true;
                    break;
                case "--sizes":
                    sizes = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                    break;
                default:
                    throw new IllegalArgumentException("unknown argument " + args[i]
                        + " (expected --quick, --json <file>, --only hub,memory,grid,failover,rebalance,thin,idle,plannedjoin,checkpoint,handover, --sizes 1000,10000)");
            }
        }
        int rc = 0;
        // Ignite's start-up banner and topology lines go to the logger (quiet at FATAL), not into the table.
        System.setProperty("IGNITE_QUIET", "false");
        Benchmark b = new Benchmark(quick, json, parts, sizes);
        if (gridBatchArg > 0)
            b.gridBatch = gridBatchArg;
        try {
            b.run();
        }
        catch (Throwable e) {
            e.printStackTrace();
            rc = 1;
        }
        finally {
            b.killChildJvm();
            Ignition.stopAll(true);
        }
        System.exit(rc);
    }

    private void run() throws Exception {
        Runtime.getRuntime().addShutdownHook(new Thread(this::killChildJvm));
        machine();
        say("ProcessHub benchmark%s: %d cores, %s heap, %s", quick ? " (--quick)" : "",
            Runtime.getRuntime().availableProcessors(), bytes(Runtime.getRuntime().maxMemory()), System.getProperty("java.vm.name")
                + " " + System.getProperty("java.runtime.version"));
        if (parts.contains("hub"))
            part("1, 2, 3, 6 (hub)", this::hubCluster);
        if (parts.contains("memory"))
            part("6 (memory)", this::memoryCluster);
        if (parts.contains("grid"))
            part("1, 3 (service grid)", this::gridCluster);
        compareStarts();
        compareCalls();
        if (parts.contains("failover"))
            part("4", this::failover);
        if (parts.contains("rebalance"))
            part("5", this::rebalance);
        if (parts.contains("thin"))
            part("7 (thin client)", () -> new ThinClientBench(report, quick).run());
        if (parts.contains("idle"))
            part("8 (idle)", this::idleCost);
        if (parts.contains("plannedjoin"))
            part("9 (planned join)", () -> new PlannedJoinGap(report, quick).run());
        if (parts.contains("checkpoint"))
            part("10 (checkpoints)", () -> new CheckpointBench(report, quick, jsonFile.toAbsolutePath().getParent()).run());
        if (parts.contains("handover"))
            part("11 (handover)", () -> new HandoverBench(report, quick).run());
        report.section("machine").put("load_average_end", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        finish();
    }

    private interface Part {
        void run() throws Exception;
    }

    /** Runs one part; a part that fails is a MISS row with its error, and the run goes on with the next part. */
    private void part(String section, Part p) {
        try {
            p.run();
        }
        catch (Throwable e) {
            e.printStackTrace();
            String msg = String.valueOf(e.getMessage());
            report.row(section.substring(0, 1), "part " + section + " FAILED", "completes",
                e.getClass().getSimpleName() + ": " + (msg.length() > 120 ? msg.substring(0, 120) + "..." : msg), false);
            report.notes.add("Part " + section + " failed: " + e);
            killChildJvm();
            stopAll();
        }
    }

    // ================================================================ 1, 2, 3 (ours), 6: a 3-node hub

    private void hubCluster() throws Exception {
        say("%n== Hub: 3 nodes in this JVM (a, b, c)");
        List<Ignite> nodes = new ArrayList<>();
        for (String n : List.of("a", "b", "c"))
            nodes.add(startNode(n, PORT_HUB, true));
        List<ProcessHub> hubs = new ArrayList<>();
        for (Ignite n : nodes)
            hubs.add(ProcessHubs.hub(n, HUB));
        ProcessHub hub = hubs.get(0);
        StartOptions opts = StartOptions.defaults().timeout(Duration.ofMinutes(2));

        // Warm-up: the same path, not measured, then stopped again.
        List<ChildSpec> warm = specs("warm-", warmup);
        hub.startChildren(warm, opts).get(3, TimeUnit.MINUTES);
        awaitAll(hubs, ids(warm), Benchmark::visible, 120);
        hub.stopChildren(ids(warm), StopOptions.defaults().timeout(Duration.ofMinutes(1))).get(2, TimeUnit.MINUTES);
        for (ProcessHub h : hubs)
            waitUntil(() -> h.lookup(warm.get(warm.size() - 1).id()).isEmpty(), 60);

        Map<String, Object> sec = report.section("start_hub");
        int largest = sizes[sizes.length - 1];
        for (int n : sizes) {
            List<ChildSpec> specs = specs("c" + n + "-", n);
            List<String> ids = ids(specs);
            gc();
            AtomicLong acked = new AtomicLong();
            long t0 = System.nanoTime();
            if (trace && n == largest)
                traceStages(hubs, t0);
            long cpu0 = processCpuNanos();
            CompletableFuture<StartResult> f = hub.startChildren(specs, opts);
            f.whenComplete((r, e) -> acked.set(System.nanoTime()));
            long visible = awaitAll(hubs, ids, Benchmark::visible, 300);
            double cpuSecs = (processCpuNanos() - cpu0) / 1e9;
            StartResult res = f.get(1, TimeUnit.MINUTES);
            if (!res.isOk() || res.started().size() != n)
                throw new IllegalStateException("start of " + n + " children failed: " + res);
            double secs = (visible - t0) / 1e9;
            double rate = n / secs;
            hubRates.put(n, rate);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("children", n);
            m.put("seconds_until_visible_on_every_node", secs);
            m.put("seconds_until_future_completed", (acked.get() - t0) / 1e9);
            m.put("children_per_second", rate);
            m.put("process_cpu_seconds", cpuSecs);
            m.put("cpu_microseconds_per_child", cpuSecs * 1e6 / n);
            sec.put("N=" + n, m);
            say("   started %,d children: future completed after %.3f s, visible on a, b and c after %.3f s -> %,.0f children/s "
                + "(%.1f CPU s, %.0f µs CPU per child)", n, (acked.get() - t0) / 1e9, secs, rate, cpuSecs, cpuSecs * 1e6 / n);
        }
        memory(hubs, opts);
        Thread.sleep(3_000); // the view node of the memory part has just left: let the cluster settle
        gc();
        lookups(nodes.get(0), hub, "c" + largest + "-", largest);
        hubCall = calls(hub, "c" + largest + "-", largest);
        stop(hubs, ids(specs("c" + largest + "-", largest)));
        corrections("1", nodes);
        say("   stopping the hub cluster");
        stopAll();
    }

    /**
     * Part 6 alone ({@code --only memory}, not in the default run, which measures it inside the hub part): the memory
     * part on a fresh 3-node hub after a warm-up, then lookups among its M children and their stop in one call.
     */
    private void memoryCluster() throws Exception {
        say("%n== Memory: 3 nodes in this JVM (a, b, c)");
        List<Ignite> nodes = new ArrayList<>();
        for (String n : List.of("a", "b", "c"))
            nodes.add(startNode(n, PORT_HUB, true));
        List<ProcessHub> hubs = new ArrayList<>();
        for (Ignite n : nodes)
            hubs.add(ProcessHubs.hub(n, HUB));
        StartOptions opts = StartOptions.defaults().timeout(Duration.ofMinutes(2));
        List<ChildSpec> warm = specs("warm-", warmup);
        hubs.get(0).startChildren(warm, opts).get(3, TimeUnit.MINUTES);
        awaitAll(hubs, ids(warm), Benchmark::visible, 120);
        hubs.get(0).stopChildren(ids(warm), StopOptions.defaults().timeout(Duration.ofMinutes(1))).get(2, TimeUnit.MINUTES);
        for (ProcessHub h : hubs)
            waitUntil(() -> h.lookup(warm.get(warm.size() - 1).id()).isEmpty(), 60);
        int m = memory(hubs, opts);
        Thread.sleep(3_000);
        gc();
        lookups(nodes.get(0), hubs.get(0), "m-", m);
        stop(hubs, ids(specs("m-", m)));
        corrections("6", nodes);
        stopAll();
    }

    /** The largest batch stopped in one call, until no node lists any of them: stops must stay cheap too. */
    private void stop(List<ProcessHub> hubs, List<String> ids) throws Exception {
        gc();
        long t0 = System.nanoTime();
        long cpu0 = processCpuNanos();
        hubs.get(1).stopChildren(ids, StopOptions.defaults().timeout(Duration.ofMinutes(2)));
        long gone = awaitAll(hubs, ids, (h, id) -> h.lookup(id).isEmpty() && h.refs(id).isEmpty(), 300);
        double cpuSecs = (processCpuNanos() - cpu0) / 1e9;
        double secs = (gone - t0) / 1e9;
        double rate = ids.size() / secs;
        Map<String, Object> m = report.section("stop_hub");
        m.put("children", ids.size());
        m.put("seconds_until_gone_from_every_node", secs);
        m.put("children_per_second", rate);
        m.put("cpu_microseconds_per_child", cpuSecs * 1e6 / ids.size());
        say("   stopped %,d children: gone from a, b and c after %.3f s -> %,.0f children/s (%.0f µs CPU per child)",
            ids.size(), secs, rate, cpuSecs * 1e6 / ids.size());
        report.row("1", String.format(Locale.ROOT, "stop N=%,d gone from every node", ids.size()), "≥ 100 000/s",
            String.format(Locale.ROOT, "%,.0f/s", rate), rate >= 100_000);
    }

    /** Registry batches whose events never came during a part (read from the cache instead): should be none. */
    private void corrections(String part, List<Ignite> nodes) throws InterruptedException {
        Thread.sleep(6_000); // a batch read from the cache counts once its event is 5 s late (checked every second)
        long n = 0;
        for (Ignite node : nodes) {
            org.apache.ignite.spi.metric.LongMetric m = node.metrics().getOrCreate("processhub." + HUB).findMetric("registryCorrections");
            n += m == null ? 0 : m.value();
        }
        report.row(part, "registry corrections (events never delivered, read from the cache) on the nodes of this JVM", "0",
            String.valueOf(n), n == 0);
    }

    // ================================================================ 8: what idle hubs cost

    /**
     * 8. Three nodes in this JVM without any hub (plain Ignite with the plugin), then three nodes with 10 idle hubs each:
     * process CPU over a quiet window (as a share of one core) and the JVM's live threads, each after settling.
     */
    private void idleCost() throws Exception {
        say("%n== Idle cost: 3 nodes, no hub, then 10 idle hubs per node");
        int window = quick ? 10 : 30;
        double[] plain = idleWindow(0, window);
        double[] hubs = idleWindow(10, window);
        Map<String, Object> m = report.section("idle");
        m.put("window_seconds", window);
        m.put("no_hub_core_share", plain[0]);
        m.put("no_hub_threads", plain[1]);
        m.put("ten_hubs_core_share", hubs[0]);
        m.put("ten_hubs_threads", hubs[1]);
        say("   no hub: %.1f %% of a core, %.0f threads; 10 idle hubs per node: %.1f %% of a core, %.0f threads",
            plain[0] * 100, plain[1], hubs[0] * 100, hubs[1]);
        double extra = (hubs[0] - plain[0]) * 100;
        report.row("8", "idle cost of 3 nodes × 10 hubs above plain Ignite", "≤ +2 % of a core",
            String.format(Locale.ROOT, "%+.1f %% of a core, %+.0f threads", extra, hubs[1] - plain[1]), extra <= 2);
    }

    /** {share of one core, live threads} of 3 nodes with {@code hubsPerNode} idle hubs, over {@code seconds}. */
    private double[] idleWindow(int hubsPerNode, int seconds) throws Exception {
        HubConfiguration[] cfgs = new HubConfiguration[hubsPerNode];
        for (int i = 0; i < hubsPerNode; i++)
            cfgs[i] = new HubConfiguration("idle-" + i);
        for (String n : List.of("a", "b", "c")) {
            IgniteConfiguration cfg = LocalNode.config(n, PORT_HUB, cfgs.length == 0 ? new HubConfiguration[0] : copies(cfgs));
            cfg.setFailureDetectionTimeout(20_000);
            Ignition.start(cfg);
        }
        Thread.sleep(5_000); // settle: exchanges, first full passes
        gc();
        ThreadCpu busiest = new ThreadCpu();
        long cpu0 = processCpuNanos();
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1_000L);
        double share = (processCpuNanos() - cpu0) / (double)(System.nanoTime() - t0);
        double threads = ManagementFactory.getThreadMXBean().getThreadCount();
        say("   %d idle hubs per node, busiest thread groups over the window: %s", hubsPerNode, busiest.top(8));
        say("   threads by group: %s", busiest.counts());
        stopAll();
        return new double[] {share, threads};
    }

    private static HubConfiguration[] copies(HubConfiguration[] cfgs) {
        HubConfiguration[] res = new HubConfiguration[cfgs.length];
        for (int i = 0; i < cfgs.length; i++)
            res[i] = new HubConfiguration(cfgs[i].getHubId());
        return res;
    }

    private static void traceStages(List<ProcessHub> hubs, long t0) {
        for (ProcessHub h : hubs) {
            String node = h.nodes().isEmpty() ? "?" : "";
            for (Hook hook : List.of(Hook.PRE_CHILDREN_START, Hook.POST_CHILDREN_START, Hook.PROCESS_STARTUPS))
                h.hooks().register(hook, "bench-trace", 0, e -> System.out.printf(Locale.ROOT, "   [trace] +%6.0f ms %s on %s%s%n",
                    (System.nanoTime() - t0) / 1e6, hook, e.node(), node));
        }
    }

    /** Developer aid: live objects by class (instances, bytes), from a full-GC class histogram of this JVM. */
    private static Map<String, long[]> histogram() {
        return histogram(histogramText());
    }

    /** This JVM's full-GC class histogram, as {@code jcmd <pid> GC.class_histogram} prints it. */
    static String histogramText() {
        try {
            return String.valueOf(ManagementFactory.getPlatformMBeanServer().invoke(
                new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {null}, new String[] {String[].class.getName()}));
        }
        catch (Exception e) {
            e.printStackTrace();
            return "";
        }
    }

    /** A class histogram's text (or the file holding it) by class: instances, bytes. */
    private static Map<String, long[]> histogram(String textOrFile) {
        Map<String, long[]> res = new HashMap<>();
        try {
            String out = textOrFile.startsWith("/") ? java.nio.file.Files.readString(Paths.get(textOrFile)) : textOrFile;
            for (String line : out.split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 4 && f[0].endsWith(":"))
                    res.put(f[3], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
            }
        }
        catch (Exception e) {
            e.printStackTrace();
        }
        return res;
    }

    private static void printGrowth(Map<String, long[]> before, Map<String, long[]> after, int per) {
        List<Map.Entry<String, long[]>> growth = new ArrayList<>();
        after.forEach((cls, a) -> {
            long[] b = before.getOrDefault(cls, new long[2]);
            growth.add(Map.entry(cls, new long[] {a[0] - b[0], a[1] - b[1]}));
        });
        growth.sort((x, y) -> Long.compare(y.getValue()[1], x.getValue()[1]));
        for (int i = 0; i < Math.min(30, growth.size()); i++) {
            long[] g = growth.get(i).getValue();
            System.out.printf(Locale.ROOT, "   [trace] %+10d objects %+12d B %8.1f B/child  %s%n", g[0], g[1], (double)g[1] / per,
                growth.get(i).getKey());
        }
    }

    /**
     * 6. Heap per registry entry and per child. A node without the hub runs in a JVM of its own (v) and attaches a hub
     * view: the registry copy every node keeps, fed by the same continuous query, without children. Then M more children
     * start on a, b, c. Used heap after full collections, before and after, in both JVMs:
     * <pre>
     *   r = (V2 - V1) / M            heap of the view's JVM: one registry copy of M entries
     *   c = (H2 - H1) / M - 3·r      heap of this JVM: M children, each on one of a, b, c, and 3 registry copies
     * </pre>
     * Before V1 / H1 the view is attached and primed (a batch touching every partition started and stopped), so its
     * fixed costs (its continuous query's per-partition buffers on the data nodes) are in neither difference. Each
     * reading is the floor of a 7 s window ({@link SteadyHeap}). Ignite keeps
     * the cache entries themselves off-heap: not counted.
     */
    private int memory(List<ProcessHub> hubs, StartOptions opts) throws Exception {
        int m = quick ? 20_000 : 100_000;
        try (ChildJvm v = childJvm("v", PORT_HUB, "view")) {
            v.ask("attach", 120);
            prime(hubs, v, opts, "p-");
            long v1 = Long.parseLong(v.ask("heap", 120).substring(5));
            long h1 = SteadyHeap.read();
            Map<String, long[]> histBefore = trace ? histogram() : null;
            Map<String, long[]> viewBefore = trace ? histogram(v.ask("histogram", 120).substring(6)) : null;
            List<ChildSpec> specs = specs("m-", m);
            StartResult res = hubs.get(0).startChildren(specs, opts).get(5, TimeUnit.MINUTES);
            if (!res.isOk())
                throw new IllegalStateException("memory batch: " + res);
            res = null;
            awaitAll(hubs, ids(specs), Benchmark::visible, 300);
            specs = null;
            v.ask("visible m- " + m, 300);
            long v2 = Long.parseLong(v.ask("heap", 120).substring(5));
            long h2 = SteadyHeap.read();
            if (trace) {
                say("   heap growth of this JVM (3 hub nodes):");
                printGrowth(histBefore, histogram(), m);
                say("   heap growth of the view's JVM (one registry copy):");
                printGrowth(viewBefore, histogram(v.ask("histogram", 120).substring(6)), m);
            }

            double perEntry = (double)(v2 - v1) / m;
            double perChildAll = (double)(h2 - h1) / m;
            double perChild = perChildAll - hubs.size() * perEntry;
            Map<String, Object> sec = report.section("memory");
            sec.put("method", "M idle children started on the 3-node hub (a, b, c in this JVM) while a 4th node without the hub, "
                + "in a JVM of its own, keeps a hub view: the same registry copy every node keeps, without children. Used heap "
                + "after System.gc(), the least of 12 readings 0.6 s apart, before and after, in both JVMs. Registry entry per node "
                + "r = delta of the view JVM / M; idle child on its node c = delta of this JVM / M - 3r. The view was attached and "
                + "primed (5 000 children started and stopped) before the first reading, so its fixed costs are excluded. "
                + "Ignite keeps the cache entries themselves off-heap; they are not counted.");
            sec.put("M_children", m);
            sec.put("view_jvm_heap_before", v1);
            sec.put("view_jvm_heap_after", v2);
            sec.put("hub_jvm_heap_before", h1);
            sec.put("hub_jvm_heap_after", h2);
            sec.put("bytes_per_registry_entry_per_node", perEntry);
            sec.put("bytes_per_child_with_3_registry_copies", perChildAll);
            sec.put("bytes_per_idle_child_on_its_node", perChild);
            report.row("6", "heap per idle child on its node", "≤ 1 KB", String.format(Locale.ROOT, "%.0f B", perChild), perChild <= 1024);
            report.row("6", "heap per registry entry, per node", "≤ 300 B", String.format(Locale.ROOT, "%.0f B", perEntry), perEntry <= 300);
            say("   memory: %,d more children; view JVM %s -> %s = %.0f B per registry entry; hub JVM %s -> %s = %.0f B per child "
                    + "with 3 registry copies -> %.0f B per idle child on its node", m, bytes(v1), bytes(v2), perEntry, bytes(h1),
                bytes(h2), perChildAll, perChild);
        }
        childJvm = null;
        return m;
    }

    /**
     * Starts and stops a batch that touches every partition, so a view's fixed costs (its continuous query's per-partition
     * buffers on every data node) are all paid before the next reading.
     */
    private void prime(List<ProcessHub> hubs, ChildJvm view, StartOptions opts, String prefix) throws Exception {
        int n = 5_000;
        List<ChildSpec> specs = specs(prefix, n);
        List<String> ids = ids(specs);
        hubs.get(0).startChildren(specs, opts).get(5, TimeUnit.MINUTES);
        awaitAll(hubs, ids, Benchmark::visible, 300);
        view.ask("visible " + prefix + " " + n, 300);
        hubs.get(0).stopChildren(ids, StopOptions.defaults().timeout(Duration.ofMinutes(2))).get(5, TimeUnit.MINUTES);
        awaitAll(hubs, ids, (h, id) -> h.lookup(id).isEmpty() && h.refs(id).isEmpty(), 300);
        Thread.sleep(2_000);
    }

    private void lookups(Ignite reader, ProcessHub hub, String prefix, int n) {
        String local = String.valueOf(reader.cluster().localNode().consistentId());
        List<String> remote = new ArrayList<>();
        for (int i = 0; i < n && remote.size() < 8192; i++) {
            String id = prefix + i;
            Optional<ChildRef> r = hub.activeRef(id);
            if (r.isPresent() && !r.get().node().equals(local))
                remote.add(id);
        }
        Collections.shuffle(remote, new Random(42));
        String[] ids = remote.toArray(new String[0]);
        int mask = Integer.highestOneBit(ids.length) - 1;

        long timerCost = timerCost();
        long sink = 0;
        // Each kind of read runs in chunks through a small method, so the JIT compiles it like application code (not
        // as one on-stack replacement of a long loop); chunks of both kinds alternate, so background work of the nodes
        // in this JVM (reconciler passes, continuous-query batches) falls on both alike. Warm-up chunks are discarded.
        int chunk = 100_000;
        Latencies scratch = new Latencies(chunk);
        for (int c = 0; c < Math.max(10, lookupOps / chunk / 2); c++) {
            scratch.clear();
            sink += timeLookups(hub, ids, mask, c * chunk, chunk, scratch);
            scratch.clear();
            sink += timeActiveRefs(hub, ids, mask, c * chunk, chunk, scratch);
            sink += untimedActiveRefs(hub, ids, mask, c * chunk, chunk);
        }
        Latencies lookup = new Latencies(lookupOps);
        Latencies active = new Latencies(lookupOps);
        long untimedNanos = 0;
        for (int c = 0; c < lookupOps / chunk; c++) {
            sink += timeLookups(hub, ids, mask, c * chunk, chunk, lookup);
            sink += timeActiveRefs(hub, ids, mask, c * chunk, chunk, active);
            long b0 = System.nanoTime();
            sink += untimedActiveRefs(hub, ids, mask, c * chunk, chunk);
            untimedNanos += System.nanoTime() - b0;
        }
        // Mean of activeRef without the per-call timer: a whole chunk timed once.
        double batchMean = untimedNanos / (double)(lookupOps / chunk * chunk);

        IgniteCache<String, Object> cache = reader.cache("processhub-registry-" + HUB);
        int getChunk = 10_000;
        Latencies getScratch = new Latencies(getChunk);
        for (int c = 0; c < Math.max(5, cacheGetOps / getChunk / 4); c++) {
            getScratch.clear();
            sink += timeCacheGets(cache, ids, mask, c * getChunk, getChunk, getScratch);
        }
        Latencies get = new Latencies(cacheGetOps);
        for (int c = 0; c < cacheGetOps / getChunk; c++)
            sink += timeCacheGets(cache, ids, mask, c * getChunk, getChunk, get);
        if (sink == 42)
            System.out.print("");

        Map<String, Object> m = report.section("lookup");
        m.put("reader_node", local);
        m.put("distinct_children_read", ids.length);
        m.put("timer_cost_ns", timerCost);
        m.put("lookup", lookup.summary());
        m.put("activeRef", active.summary());
        m.put("activeRef_mean_ns_untimed_loop", batchMean);
        m.put("registry_cache_get", get.summary());
        long lp50 = lookup.percentile(0.5), lp99 = lookup.percentile(0.99);
        long ap50 = active.percentile(0.5), ap99 = active.percentile(0.99);
        report.row("2", "lookup p50 (child on another node)", "≤ 200 ns", Latencies.human(lp50), lp50 <= 200);
        report.row("2", "lookup p99", "≤ 2 µs", Latencies.human(lp99), lp99 <= 2_000);
        report.row("2", "activeRef p50", "≤ 200 ns", Latencies.human(ap50), ap50 <= 200);
        report.row("2", "activeRef p99", "≤ 2 µs", Latencies.human(ap99), ap99 <= 2_000);
        report.info("2", "registry IgniteCache.get p50 / p99", Latencies.human(get.percentile(0.5)) + " / " + Latencies.human(get.percentile(0.99)));
        say("   lookup p50 %s p99 %s | activeRef p50 %s p99 %s (mean %.0f ns untimed) | cache.get p50 %s p99 %s | nanoTime pair costs %d ns",
            Latencies.human(lp50), Latencies.human(lp99), Latencies.human(ap50), Latencies.human(ap99), batchMean,
            Latencies.human(get.percentile(0.5)), Latencies.human(get.percentile(0.99)), timerCost);
    }

    private static long timeLookups(ProcessHub hub, String[] ids, int mask, int from, int count, Latencies out) {
        long sink = 0;
        for (int i = from; i < from + count; i++) {
            String id = ids[i & mask];
            long t0 = System.nanoTime();
            Optional<ChildInfo> r = hub.lookup(id);
            long t1 = System.nanoTime();
            sink += r.isPresent() ? 1 : 0;
            out.add(t1 - t0);
        }
        return sink;
    }

    private static long timeActiveRefs(ProcessHub hub, String[] ids, int mask, int from, int count, Latencies out) {
        long sink = 0;
        for (int i = from; i < from + count; i++) {
            String id = ids[i & mask];
            long t0 = System.nanoTime();
            Optional<ChildRef> r = hub.activeRef(id);
            long t1 = System.nanoTime();
            sink += r.isPresent() ? 1 : 0;
            out.add(t1 - t0);
        }
        return sink;
    }

    private static long untimedActiveRefs(ProcessHub hub, String[] ids, int mask, int from, int count) {
        long sink = 0;
        for (int i = from; i < from + count; i++)
            sink += hub.activeRef(ids[i & mask]).isPresent() ? 1 : 0;
        return sink;
    }

    private static long timeCacheGets(IgniteCache<String, Object> cache, String[] ids, int mask, int from, int count, Latencies out) {
        long sink = 0;
        for (int i = from; i < from + count; i++) {
            String id = ids[i & mask];
            long t0 = System.nanoTime();
            Object v = cache.get(id);
            long t1 = System.nanoTime();
            sink += v != null ? 1 : 0;
            out.add(t1 - t0);
        }
        return sink;
    }

    private Latencies calls(ProcessHub hub, String prefix, int n) throws Exception {
        String target = null;
        for (int i = 0; i < n && target == null; i++) {
            Optional<ChildRef> r = hub.activeRef(prefix + i);
            if (r.isPresent() && r.get().node().equals("b"))
                target = prefix + i;
        }
        Duration timeout = Duration.ofSeconds(10);
        for (int i = 0; i < callOps / 4; i++)
            hub.call(target, "get", timeout).get();
        Latencies lat = new Latencies(callOps);
        for (int i = 0; i < callOps; i++) {
            long t0 = System.nanoTime();
            hub.call(target, "get", timeout).get();
            lat.add(System.nanoTime() - t0);
        }
        report.section("call").put("hub_call_a_to_child_on_b", lat.summary());
        say("   hub.call a -> child on b: p50 %s p99 %s", Latencies.human(lat.percentile(0.5)), Latencies.human(lat.percentile(0.99)));
        return lat;
    }

    // ================================================================ 1, 3 (service grid)

    private void gridCluster() throws Exception {
        say("%n== Service grid: 3 nodes in this JVM (ga, gb, gc), key-affinity singletons deployed with deployAll in batches of %,d",
            gridBatch);
        List<Ignite> nodes = new ArrayList<>();
        for (String n : List.of("ga", "gb", "gc"))
            nodes.add(startNode(n, PORT_GRID, false));
        Ignite ga = nodes.get(0);
        ga.getOrCreateCache(new CacheConfiguration<String, Object>(AFFINITY_CACHE).setCacheMode(CacheMode.PARTITIONED).setBackups(0));

        deploy(nodes, "warm-", warmup, Long.MAX_VALUE);
        List<String> warmNames = new ArrayList<>();
        for (int i = 0; i < warmup; i++)
            warmNames.add("warm-" + i);
        ga.services().cancelAll(warmNames);

        Map<String, Object> sec = report.section("start_service_grid");
        boolean capped = false;
        for (int n : sizes) {
            Map<String, Object> m = new LinkedHashMap<>();
            if (capped) {
                m.put("skipped", "the previous size already exceeded the time budget");
                sec.put("N=" + n, m);
                gridRates.put(n, new double[] {Double.NaN, 0, 1, 0});
                continue;
            }
            gc();
            long t0 = System.nanoTime();
            long cpu0 = processCpuNanos();
            int deployed = deploy(nodes, "s" + n + "-", n, gridBudgetNanos);
            double secs = (System.nanoTime() - t0) / 1e9;
            double cpuSecs = (processCpuNanos() - cpu0) / 1e9;
            double rate = deployed / secs;
            capped = deployed < n;
            gridRates.put(n, new double[] {rate, deployed, capped ? 1 : 0, secs});
            m.put("services", n);
            m.put("deployed", deployed);
            m.put("capped_by_time_budget", capped);
            m.put("time_budget_seconds", gridBudgetNanos / 1e9);
            m.put("seconds_until_listed_on_every_node", secs);
            m.put("services_per_second", rate);
            m.put("process_cpu_seconds", cpuSecs);
            m.put("cpu_microseconds_per_service", cpuSecs * 1e6 / Math.max(1, deployed));
            m.put("heap_used_after_gc", usedHeapAfterGc());
            sec.put("N=" + n, m);
            say("   deployed %,d of %,d key-affinity singletons in %.2f s -> %,.0f services/s (%.1f CPU s, %.0f µs CPU per service)%s",
                deployed, n, secs, rate, cpuSecs, cpuSecs * 1e6 / Math.max(1, deployed), capped ? " (time budget reached: capped)" : "");
        }

        // 3. A proxy call to a service on another node: gb owns the affinity key.
        Ignite gb = nodes.get(1);
        String key = null;
        for (int i = 0; key == null; i++) {
            String k = "call-key-" + i;
            if (ga.affinity(AFFINITY_CACHE).mapKeyToNode(k).id().equals(gb.cluster().localNode().id()))
                key = k;
        }
        ga.services().deployKeyAffinitySingleton("call-target", new GridCounter(), AFFINITY_CACHE, key);
        String k = key;
        waitUntil(() -> gb.services().service("call-target") != null, 30);
        GridCounterApi proxy = ga.services().serviceProxy("call-target", GridCounterApi.class, false);
        for (int i = 0; i < callOps / 4; i++)
            proxy.get();
        Latencies lat = new Latencies(callOps);
        for (int i = 0; i < callOps; i++) {
            long t0 = System.nanoTime();
            proxy.get();
            lat.add(System.nanoTime() - t0);
        }
        gridCall = lat;
        report.section("call").put("service_proxy_ga_to_service_on_gb", lat.summary());
        say("   service proxy ga -> service on gb (affinity key %s): p50 %s p99 %s", k, Latencies.human(lat.percentile(0.5)),
            Latencies.human(lat.percentile(0.99)));
        say("   stopping the service-grid cluster");
        stopAll();
    }

    /** Deploys {@code n} key-affinity singletons in batches until done or out of time; returns how many. */
    private int deploy(List<Ignite> nodes, String prefix, int n, long budgetNanos) {
        Ignite ga = nodes.get(0);
        long t0 = System.nanoTime();
        int deployed = 0;
        while (deployed < n && System.nanoTime() - t0 < budgetNanos) {
            List<ServiceConfiguration> batch = new ArrayList<>();
            for (int i = deployed; i < Math.min(n, deployed + gridBatch); i++) {
                String name = prefix + i;
                batch.add(new ServiceConfiguration().setName(name).setService(new GridCounter())
                    .setCacheName(AFFINITY_CACHE).setAffinityKey(name).setTotalCount(1).setMaxPerNodeCount(1));
            }
            ga.services().deployAll(batch);
            deployed += batch.size();
        }
        // Visible everywhere: every node's descriptors list them with an instance.
        int expect = deployed;
        for (Ignite node : nodes)
            waitUntil(() -> {
                int c = 0;
                for (ServiceDescriptor d : node.services().serviceDescriptors())
                    if (d.name().startsWith(prefix) && !d.topologySnapshot().isEmpty())
                        c++;
                return c == expect;
            }, 300, 100);
        return deployed;
    }

    private void compareStarts() {
        if (hubRates.isEmpty())
            return;
        Map<String, Object> cmp = report.section("start_comparison");
        int largestBoth = -1;
        for (int n : sizes) {
            Double ours = hubRates.get(n);
            double[] g = gridRates.get(n);
            String grid = g == null ? "not run" : Double.isNaN(g[0]) ? "skipped (budget)"
                : String.format(Locale.ROOT, "%,.0f/s%s", g[0], g[2] > 0 ? String.format(Locale.ROOT, " (capped: %,d in %.0f s)", (long)g[1], g[3]) : "");
            String line = String.format(Locale.ROOT, "%,.0f/s vs grid %s", ours, grid);
            if (g != null && !Double.isNaN(g[0])) {
                double ratio = ours / g[0];
                line += String.format(Locale.ROOT, " = %.1f×", ratio);
                cmp.put("ratio_N=" + n, ratio);
                if (g[2] == 0)
                    largestBoth = n;
            }
            boolean targetRow = n == 100_000;
            if (targetRow)
                report.row("1", "start N=100 000 visible on every node", "≥ 100 000/s",
                    String.format(Locale.ROOT, "%,.0f/s", ours), ours >= 100_000);
            report.info("1", "start N=" + String.format(Locale.ROOT, "%,d", n) + ": hub vs service grid", line);
        }
        if (largestBoth > 0) {
            double ratio = hubRates.get(largestBoth) / gridRates.get(largestBoth)[0];
            cmp.put("ratio_target_compared_at_N", largestBoth);
            report.row("1", "hub ÷ service grid at N=" + String.format(Locale.ROOT, "%,d", largestBoth)
                    + (largestBoth == sizes[sizes.length - 1] ? "" : " (largest N the grid finished)"),
                "≥ 50×", String.format(Locale.ROOT, "%.1f×", ratio), ratio >= 50);
        }
    }

    private void compareCalls() {
        if (hubCall == null || gridCall == null)
            return;
        long h50 = hubCall.percentile(0.5), h99 = hubCall.percentile(0.99);
        long g50 = gridCall.percentile(0.5), g99 = gridCall.percentile(0.99);
        report.row("3", "call() p50 vs service proxy p50", "≤ " + Latencies.human(g50), Latencies.human(h50), h50 <= g50);
        report.row("3", "call() p99 vs service proxy p99", "≤ " + Latencies.human(g99), Latencies.human(h99), h99 <= g99);
    }

    // ================================================================ 4: kill -9 of a node in its own JVM

    private void failover() throws Exception {
        int n = failoverChildren;
        say("%n== Failover: fa, fb in this JVM, fc in a JVM of its own; %,d children; kill -9 of fc", n);
        Ignite fa = startNode("fa", PORT_FAILOVER, true);
        Ignite fb = startNode("fb", PORT_FAILOVER, true);
        ChildJvm fc = childJvm("fc", PORT_FAILOVER, "member");
        List<ProcessHub> hubs = List.of(ProcessHubs.hub(fa, HUB), ProcessHubs.hub(fb, HUB));
        waitUntil(() -> hubs.get(0).nodes().size() == 3 && hubs.get(1).nodes().size() == 3, 60);

        List<ChildSpec> specs = specs("f-", n);
        List<String> ids = ids(specs);
        StartResult res = hubs.get(0).startChildren(specs, StartOptions.defaults().timeout(Duration.ofMinutes(2))).get(3, TimeUnit.MINUTES);
        if (!res.isOk())
            throw new IllegalStateException("failover setup: " + res);
        awaitAll(hubs, ids, Benchmark::visible, 120);
        List<String> lost = new ArrayList<>();
        for (String id : ids)
            if (hubs.get(0).activeRef(id).map(r -> r.node().equals("fc")).orElse(false))
                lost.add(id);

        AtomicLong failedEvt = new AtomicLong();
        AtomicLong leaveHook = new AtomicLong();
        for (Ignite node : List.of(fa, fb))
            node.events().localListen(evt -> {
                failedEvt.compareAndSet(0, System.nanoTime());
                return true;
            }, EventType.EVT_NODE_FAILED);
        hubs.get(0).hooks().register(Hook.POST_CLUSTER_LEAVE, "bench-failover", 0, e -> leaveHook.compareAndSet(0, System.nanoTime()));
        Thread.sleep(1_000);
        gc();

        long kill = System.nanoTime();
        fc.kill(); // SIGKILL
        waitUntil(() -> failedEvt.get() != 0, 60);
        long detected = failedEvt.get();
        Predicate<ChildInfo> onSurvivor = info -> info.refs().size() == 1
            && info.activeRef().map(r -> r.node().equals("fa") || r.node().equals("fb")).orElse(false);
        long recovered = awaitAll(hubs, lost, (h, id) -> h.lookup(id).map(onSurvivor::test).orElse(false), 120);
        waitUntil(() -> hubs.get(0).localChildren().size() + hubs.get(1).localChildren().size() == n, 60);
        long running = System.nanoTime();
        fc.waitFor(10);

        double detectMs = (detected - kill) / 1e6;
        double recoverMs = (Math.max(recovered, running) - detected) / 1e6;
        Map<String, Object> m = report.section("failover");
        m.put("children", n);
        m.put("children_on_killed_node", lost.size());
        m.put("failure_detection_timeout_ms", 3_000);
        m.put("ms_kill_to_EVT_NODE_FAILED", detectMs);
        m.put("ms_kill_to_POST_CLUSTER_LEAVE_hook", leaveHook.get() == 0 ? null : (leaveHook.get() - kill) / 1e6);
        m.put("ms_detection_to_lost_children_registered_on_survivors", (recovered - detected) / 1e6);
        m.put("ms_detection_to_all_running_and_registered", recoverMs);
        report.info("4", "failure detection (kill -9 → EVT_NODE_FAILED)", String.format(Locale.ROOT, "%.0f ms", detectMs));
        report.row("4", String.format(Locale.ROOT, "%,d lost children running + registered on every survivor", lost.size()),
            "≤ 1 s after detection", String.format(Locale.ROOT, "%.0f ms", recoverMs), recoverMs <= 1_000);
        say("   killed fc (%,d children): EVT_NODE_FAILED after %.0f ms, hook after %s; lost children back and registered %.0f ms "
                + "after detection", lost.size(), detectMs,
            leaveHook.get() == 0 ? "-" : String.format(Locale.ROOT, "%.0f ms", (leaveHook.get() - kill) / 1e6), recoverMs);
        stopAll();
    }

    private void killChildJvm() {
        ChildJvm p = childJvm;
        if (p != null)
            p.kill();
    }

    private ChildJvm childJvm(String name, int port, String mode) throws Exception {
        childJvm = new ChildJvm(name, port, HUB, mode, jsonFile.toAbsolutePath().getParent());
        return childJvm;
    }

    // ================================================================ 5: a 4th node joins

    private void rebalance() throws Exception {
        int n = rebalanceChildren;
        say("%n== Rebalance: %,d children on ra, rb, rc; rd joins", n);
        List<Ignite> nodes = new ArrayList<>();
        for (String name : List.of("ra", "rb", "rc"))
            nodes.add(startNode(name, PORT_REBALANCE, true));
        List<ProcessHub> hubs = new ArrayList<>();
        for (Ignite node : nodes)
            hubs.add(ProcessHubs.hub(node, HUB));
        List<ChildSpec> specs = specs("r-", n);
        List<String> ids = ids(specs);
        StartResult res = hubs.get(0).startChildren(specs, StartOptions.defaults().timeout(Duration.ofMinutes(2))).get(3, TimeUnit.MINUTES);
        if (!res.isOk())
            throw new IllegalStateException("rebalance setup: " + res);
        Placement three = new ConsistentHashing().placement(List.of("ra", "rb", "rc"));
        Placement four = new ConsistentHashing().placement(List.of("ra", "rb", "rc", "rd"));
        awaitAll(hubs, ids, (h, id) -> onlyOn(h, id, three.owner(id)), 120);
        Map<String, String> before = new HashMap<>();
        for (String id : ids)
            before.put(id, hubs.get(0).activeRef(id).orElseThrow().node());
        int ideallyMoving = 0;
        for (String id : ids)
            if (!three.owner(id).equals(four.owner(id)))
                ideallyMoving++;

        AtomicLong joined = new AtomicLong();
        nodes.get(0).events().localListen(evt -> {
            joined.compareAndSet(0, System.nanoTime());
            return true;
        }, EventType.EVT_NODE_JOINED);
        Thread.sleep(1_000);
        gc();
        long t0 = System.nanoTime();
        HubConfiguration rdHub = new HubConfiguration(HUB);
        if (trace) {
            for (ProcessHub h : hubs)
                for (Hook hook : List.of(Hook.PRIORITY_STATE_UPDATED, Hook.CHILDREN_MIGRATED))
                    h.hooks().register(hook, "bench-trace", 0, e -> System.out.printf(Locale.ROOT, "   [trace] +%6.0f ms %s on %s%n",
                        (System.nanoTime() - t0) / 1e6, hook, e.node()));
            List<io.processhub.hook.HookRegistration> regs = new ArrayList<>();
            for (Hook hook : List.of(Hook.PRE_CHILDREN_REDISTRIBUTION, Hook.POST_CHILDREN_START, Hook.PROCESS_STARTUPS))
                regs.add(new io.processhub.hook.HookRegistration(hook, "bench-trace", 0, e -> System.out.printf(Locale.ROOT,
                    "   [trace] +%6.0f ms %s on %s%n", (System.nanoTime() - t0) / 1e6, hook, e.node())));
            rdHub.setHooks(regs);
        }
        IgniteConfiguration rdCfg = LocalNode.config("rd", PORT_REBALANCE, rdHub).setFailureDetectionTimeout(20_000);
        Ignite rd = Ignition.start(rdCfg);
        long started = System.nanoTime();
        if (trace)
            System.out.printf(Locale.ROOT, "   [trace] +%6.0f ms join event on ra, +%6.0f ms Ignition.start returned%n",
                (joined.get() - t0) / 1e6, (started - t0) / 1e6);
        hubs.add(ProcessHubs.hub(rd, HUB));
        int timeout = 60;
        long settled = -1;
        try {
            awaitAll(hubs, ids, (h, id) -> onlyOn(h, id, four.owner(id)), timeout);
            waitUntil(() -> running(hubs).size() == n, timeout);
            settled = System.nanoTime();
        }
        catch (IllegalStateException notSettled) {
            say("   %s", notSettled.getMessage().length() > 600 ? notSettled.getMessage().substring(0, 600) + "..." : notSettled.getMessage());
        }
        // Where each child runs now (from the supervisors), and what the new owner's registry copy says of the others.
        Map<String, String> now = running(hubs);
        int moved = 0;
        int lost = 0;
        int staleOnNewOwner = 0;
        for (String id : ids) {
            String node = now.get(id);
            if (node == null) {
                lost++;
                Optional<ChildRef> seen = hubs.get(3).activeRef(id);
                if (four.owner(id).equals("rd") && seen.isPresent() && !seen.get().node().equals("rd"))
                    staleOnNewOwner++;
            }
            if (!before.get(id).equals(node))
                moved++;
        }
        double fraction = (double)moved / n;
        double settleMs = settled < 0 ? Double.NaN : (settled - joined.get()) / 1e6;
        Map<String, Object> m = report.section("rebalance");
        m.put("children", n);
        m.put("moved", moved);
        m.put("moved_fraction", fraction);
        m.put("ring_ideal_moves_for_this_ring", (double)ideallyMoving / n);
        m.put("ms_Ignition_start_of_4th_node", (started - t0) / 1e6);
        m.put("settled", settled >= 0);
        m.put("ms_join_event_to_settled", settled < 0 ? null : settleMs);
        m.put("ms_start_call_to_settled", settled < 0 ? null : (settled - t0) / 1e6);
        m.put("children_running_nowhere_at_the_end", lost);
        m.put("of_which_new_owner_registry_shows_a_stale_replica", staleOnNewOwner);
        report.row("5", "fraction of children moved (ideal 1/4)", "≤ 0.2875", String.format(Locale.ROOT, "%.4f", fraction),
            fraction <= 0.25 * 1.15);
        report.row("5", "join → settled (every child once, on its owner, in every registry)", "≤ 2 s",
            settled < 0 ? String.format(Locale.ROOT, "not in %d s: %,d children run nowhere", timeout, lost)
                : String.format(Locale.ROOT, "%.0f ms", settleMs), settled >= 0 && settleMs <= 2_000);
        if (settled < 0)
            report.notes.add(String.format(Locale.ROOT, "Rebalance did not settle: %,d children ran nowhere %d s after rd joined; for %,d "
                + "of them rd (their new owner) still listed a replica on the node that had stopped them, so it never started them.",
                lost, timeout, staleOnNewOwner));
        say("   rd joined: %,d of %,d children moved (%.2f%%; this ring's exact share %.2f%%), %s (Ignition.start took %.0f ms)",
            moved, n, 100 * fraction, 100.0 * ideallyMoving / n, settled < 0
                ? String.format(Locale.ROOT, "NOT settled after %d s: %,d children run nowhere, %,d of them listed by rd's registry "
                    + "copy as still running on their old node", timeout, lost, staleOnNewOwner)
                : String.format(Locale.ROOT, "settled %.0f ms after the join", settleMs), (started - t0) / 1e6);
        List<Ignite> withRd = new ArrayList<>(nodes);
        withRd.add(rd);
        corrections("5", withRd);
        stopAll();
    }

    /** Child id → node, from what every node's supervisor runs. */
    private static Map<String, String> running(List<ProcessHub> hubs) {
        Map<String, String> res = new HashMap<>();
        for (ProcessHub h : hubs)
            for (ChildRef r : h.localChildren())
                res.put(r.childId(), r.node());
        return res;
    }

    private static boolean onlyOn(ProcessHub h, String id, String node) {
        Optional<ChildInfo> info = h.lookup(id);
        return info.isPresent() && info.get().refs().size() == 1 && info.get().activeRef().map(r -> r.node().equals(node)).orElse(false);
    }

    // ================================================================ helpers

    private interface Check {
        boolean ok(ProcessHub hub, String id);
    }

    /** Registered with an active replica; read through activeRef, which builds no ChildInfo (the poll shares the cores). */
    private static boolean visible(ProcessHub hub, String id) {
        return hub.activeRef(id).isPresent();
    }

    /**
     * Waits until {@code check} holds for every id on every hub and returns {@link System#nanoTime()} then. Walks
     * each hub's ids with a cursor, so a poll costs little more than the ids newly settled; a final full pass
     * confirms.
     */
    private static long awaitAll(List<ProcessHub> hubs, List<String> ids, Check check, int timeoutSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        int[] cursor = new int[hubs.size()];
        while (true) {
            boolean all = true;
            for (int h = 0; h < hubs.size(); h++) {
                ProcessHub hub = hubs.get(h);
                while (cursor[h] < ids.size() && check.ok(hub, ids.get(cursor[h])))
                    cursor[h]++;
                if (cursor[h] < ids.size())
                    all = false;
            }
            if (all) {
                long now = System.nanoTime();
                boolean confirmed = true;
                for (int h = 0; h < hubs.size() && confirmed; h++)
                    for (int i = 0; i < ids.size(); i++)
                        if (!check.ok(hubs.get(h), ids.get(i))) {
                            cursor[h] = i;
                            confirmed = false;
                            break;
                        }
                if (confirmed)
                    return now;
            }
            if (trace && (System.nanoTime() / 1_000_000) % 1000 < 2)
                System.out.printf(Locale.ROOT, "   [trace] %s visible: %s%n", Instant.now(), Arrays.toString(cursor));
            if (System.nanoTime() > deadline) {
                StringBuilder sb = new StringBuilder();
                for (int h = 0; h < hubs.size(); h++) {
                    sb.append(' ').append(cursor[h]).append('/').append(ids.size());
                    if (cursor[h] < ids.size())
                        sb.append(" (").append(ids.get(cursor[h])).append(": ").append(hubs.get(h).lookup(ids.get(cursor[h]))).append(')');
                }
                throw new IllegalStateException("not settled within " + timeoutSeconds + " s; progress per node:" + sb);
            }
            Thread.sleep(1);
        }
    }

    private static void waitUntil(java.util.function.BooleanSupplier cond, int timeoutSeconds) {
        waitUntil(cond, timeoutSeconds, 2);
    }

    private static void waitUntil(java.util.function.BooleanSupplier cond, int timeoutSeconds, int pollMillis) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline)
                throw new IllegalStateException("condition not met within " + timeoutSeconds + " s");
            try {
                Thread.sleep(pollMillis);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static List<ChildSpec> specs(String prefix, int n) {
        List<ChildSpec> res = new ArrayList<>(n);
        for (int i = 0; i < n; i++)
            res.add(ChildSpec.of(prefix + i, CounterChild.class));
        return res;
    }

    private static List<String> ids(List<ChildSpec> specs) {
        List<String> res = new ArrayList<>(specs.size());
        for (ChildSpec s : specs)
            res.add(s.id());
        return res;
    }

    private Ignite startNode(String name, int port, boolean hub) {
        IgniteConfiguration cfg = hub ? LocalNode.config(name, port, new HubConfiguration(HUB)) : LocalNode.config(name, port);
        if (port != PORT_FAILOVER) {
            // Two shared cores and full collections of a big heap: a 3 s failure detection would split the cluster.
            // The failover cluster keeps the suite's 3 s, since its detection time is one of the figures.
            cfg.setFailureDetectionTimeout(20_000);
        }
        return Ignition.start(cfg);
    }

    private static void stopAll() {
        Ignition.stopAll(true);
        gc();
    }

    private static void gc() {
        System.gc();
        try {
            Thread.sleep(100);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Used heap after full collections, repeated until two readings agree within 1 MB (at most 8). */
    private static long usedHeapAfterGc() throws InterruptedException {
        long prev = Long.MAX_VALUE;
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 8; i++) {
            System.gc();
            Thread.sleep(200);
            long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            best = Math.min(best, used);
            if (Math.abs(used - prev) < (1 << 20))
                break;
            prev = used;
        }
        return best;
    }

    /** CPU time this JVM has used, all threads (the failover node's own JVM is not included). */
    private static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean ? ((com.sun.management.OperatingSystemMXBean)os).getProcessCpuTime() : 0;
    }

    /** Cost of a pair of System.nanoTime() calls, the floor of every per-call latency sample. */
    private static long timerCost() {
        Latencies l = new Latencies(1_000_000);
        for (int i = 0; i < 1_000_000; i++) {
            long t0 = System.nanoTime();
            long t1 = System.nanoTime();
            l.add(t1 - t0);
        }
        return l.percentile(0.5);
    }

    private void machine() {
        Map<String, Object> m = report.section("machine");
        m.put("date", Instant.now().toString());
        m.put("quick", quick);
        m.put("cores", Runtime.getRuntime().availableProcessors());
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean)
            m.put("memory_bytes", ((com.sun.management.OperatingSystemMXBean)os).getTotalMemorySize());
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        m.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("max_heap_bytes", Runtime.getRuntime().maxMemory());
        m.put("gc", ManagementFactory.getGarbageCollectorMXBeans().get(0).getName());
        m.put("load_average_start", os.getSystemLoadAverage());
        m.put("ignite", org.apache.ignite.internal.IgniteVersionUtils.VER_STR);
    }

    private void finish() throws IOException {
        Map<String, Object> machine = report.section("machine");
        String header = String.format(Locale.ROOT, "%s cores, %s RAM, %s, heap %s, load average %.2f at start and %.2f at end%s",
            machine.get("cores"), machine.containsKey("memory_bytes") ? bytes((Long)machine.get("memory_bytes")) : "?",
            machine.get("jdk"), bytes(Runtime.getRuntime().maxMemory()), (Double)machine.get("load_average_start"),
            (Double)machine.get("load_average_end"), quick ? " (--quick: small sizes, targets not meaningful)" : "");
        report.sort();
        say("%n== Results (%s)%n%s", header, report.table());
        for (String note : report.notes)
            say("Note: %s", note);
        Files.createDirectories(jsonFile.toAbsolutePath().getParent());
        Files.writeString(jsonFile, report.json(), StandardCharsets.UTF_8);
        Path md = jsonFile.resolveSibling(jsonFile.getFileName().toString().replaceAll("\\.json$", "") + ".md");
        Files.writeString(md, "Machine: " + header + "\n\n" + report.markdown(), StandardCharsets.UTF_8);
        say("Figures written to %s and %s", jsonFile.toAbsolutePath(), md.toAbsolutePath());
    }

    private static String bytes(long b) {
        if (b >= 1L << 30)
            return String.format(Locale.ROOT, "%.1f GB", b / (double)(1L << 30));
        return String.format(Locale.ROOT, "%.0f MB", b / (double)(1L << 20));
    }

    private static void say(String fmt, Object... args) {
        System.out.println(String.format(Locale.ROOT, fmt, args));
        System.out.flush();
    }
}
