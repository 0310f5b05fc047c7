package io.processhub.bench;

import io.processhub.examples.LocalNode;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import javax.cache.configuration.FactoryBuilder;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.Ignition;
import org.apache.ignite.cache.CacheAtomicityMode;
import org.apache.ignite.cache.CacheMode;
import org.apache.ignite.cache.CacheWriteSynchronizationMode;
import org.apache.ignite.cache.query.ContinuousQuery;
import org.apache.ignite.cache.query.QueryCursor;
import org.apache.ignite.configuration.CacheConfiguration;
import org.apache.ignite.configuration.DataRegionConfiguration;
import org.apache.ignite.configuration.IgniteConfiguration;

/**
 * Ignite's floor for the registry's write path, without the plugin: 3 nodes in this JVM, a REPLICATED ATOMIC
 * FULL_SYNC cache with one continuous query per node (page size 256, time interval 5 ms: the registry's
 * configuration), each node the single writer of its own records, and each node's query feeding an index that
 * applies every writer's batches in sequence order (see {@link FloorReader}). For each candidate layout
 * ({@link EntryLayout}, {@link DeltaLayout}, {@link SegmentLayout}) and each phase it prints the time until every
 * node's index holds the result (children/s), the process CPU time per child and, for the start, the off-heap
 * bytes per child per node. Phases: start N children (a third per node), churn M changes (half starts, half stops
 * of running children), for (b) one compaction into a snapshot, then stop all. Two rounds; the table shows the
 * second (warm) one. {@code --idle S} instead measures the idle cost of continuous queries ({@link IdleQueryCost}).
 *
 * <pre>
 * flock /tmp/heavy.lock mvn -q -pl tests -am test-compile exec:exec@bench -Dbench.main=io.processhub.bench.RegistryWriteFloor \
 *     "-Dbench.args=--children 100000 [--churn 100000] [--batch 1000] [--layouts a,b,c,d1,d2] [--compact-every 16000]"
 * flock /tmp/heavy.lock mvn -q -pl tests -am test-compile exec:exec@bench -Dbench.main=io.processhub.bench.RegistryWriteFloor \
 *     "-Dbench.args=--idle 30"
 * </pre>
 * Layouts: a = an entry per spec and per replica (today), b = per-writer deltas + a snapshot compaction,
 * c = a segment per (writer, partition of 1024), d1 = a segment per (writer, range of 16 partitions),
 * d2 = per-writer deltas compacted, each time a writer published K more changes (--compact-every), into the
 * (writer, partition) segments that changed.
 */
public final class RegistryWriteFloor {
    private static final int PORT = 61_120;
    private static final int WAIT_SECONDS = 120;

    private RegistryWriteFloor() {
    }

    public static void main(String[] args) throws Exception {
        int n = 100_000;
        int churn = -1;
        int batch = 1_000;
        int compactEvery = 16_000;
        int idle = 0;
        String layouts = "a,b,c,d1,d2";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--children" -> n = Integer.parseInt(args[++i]);
                case "--churn" -> churn = Integer.parseInt(args[++i]);
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--compact-every" -> compactEvery = Integer.parseInt(args[++i]);
                case "--layouts" -> layouts = args[++i];
                case "--idle" -> idle = Integer.parseInt(args[++i]);
                case "--json" -> i++; // the bench execution passes it; nothing is written here
                default -> throw new IllegalArgumentException(args[i]);
            }
        }
        System.setProperty("IGNITE_QUIET", "false");
        try {
            List<Ignite> nodes = startNodes();
            if (idle > 0)
                new IdleQueryCost(nodes).run(idle);
            else
                new RegistryWriteFloor.Run(nodes, n, churn < 0 ? n : churn, batch).all(layouts(layouts, compactEvery));
        }
        finally {
            Ignition.stopAll(true);
        }
        System.exit(0);
    }

    private static List<FloorLayout> layouts(String names, int compactEvery) {
        Map<String, FloorLayout> all = new LinkedHashMap<>();
        all.put("a", new EntryLayout());
        all.put("b", new DeltaLayout("b deltas, snapshot", 0, 1_024));
        all.put("c", new SegmentLayout("c segments/1024", 1_024));
        all.put("d1", new SegmentLayout("d1 segments/64", 64));
        all.put("d2", new DeltaLayout("d2 deltas+segments every " + compactEvery / 1000 + "k", compactEvery, 1_024));
        List<FloorLayout> chosen = new ArrayList<>();
        for (String name : names.split(","))
            chosen.add(all.get(name.trim()));
        return chosen;
    }

    private static List<Ignite> startNodes() {
        List<Ignite> nodes = new ArrayList<>();
        for (String name : List.of("x", "y", "z")) {
            IgniteConfiguration cfg = LocalNode.config(name, PORT).setFailureDetectionTimeout(20_000);
            DataRegionConfiguration region = cfg.getDataStorageConfiguration().getDefaultDataRegionConfiguration();
            region.setMaxSize(1L << 30).setMetricsEnabled(true);
            nodes.add(Ignition.start(cfg));
        }
        return nodes;
    }

    static CacheConfiguration<Object, Object> replicated(String name) {
        return new CacheConfiguration<Object, Object>(name).setCacheMode(CacheMode.REPLICATED)
            .setAtomicityMode(CacheAtomicityMode.ATOMIC).setWriteSynchronizationMode(CacheWriteSynchronizationMode.FULL_SYNC);
    }

    /** One run over the chosen layouts on the same 3 nodes. */
    private static final class Run {
        private final List<Ignite> nodes;
        private final int n;
        private final int churn;
        private final int batch;
        private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean)ManagementFactory.getOperatingSystemMXBean();
        private final ExecutorService pool = Executors.newFixedThreadPool(3);
        private final List<String> table = new ArrayList<>();
        private String firstStartOffHeap = "";

        Run(List<Ignite> nodes, int n, int churn, int batch) {
            this.nodes = nodes;
            this.n = n;
            this.churn = churn;
            this.batch = batch;
        }

        void all(List<FloorLayout> layouts) throws Exception {
            for (FloorLayout layout : layouts)
                one(layout);
            pool.shutdown();
            System.out.printf(Locale.ROOT, "%nRegistry write floor, second round: N=%,d, churn %,d changes, batch %,d, 3 nodes in one JVM%n", n, churn, batch);
            System.out.println("| layout | phase | children | until visible everywhere | children/s | CPU µs/child | off-heap B/child/node (round 0) | out-of-order batches | check |");
            System.out.println("|---|---|---|---|---|---|---|---|---|");
            table.forEach(System.out::println);
        }

        private void one(FloorLayout layout) throws Exception {
            IgniteCache<Object, Object> registry = nodes.get(0).getOrCreateCache(replicated("registry"));
            nodes.get(0).getOrCreateCache(replicated("snapshots"));
            List<FloorReader> readers = new ArrayList<>();
            List<QueryCursor<?>> cursors = new ArrayList<>();
            List<FloorWorkload> workloads = new ArrayList<>();
            for (int i = 0; i < nodes.size(); i++) {
                Ignite node = nodes.get(i);
                FloorReader reader = layout.reader(nodes.size());
                ContinuousQuery<Object, Object> q = new ContinuousQuery<>();
                q.setLocalListener(reader);
                q.setPageSize(256);
                q.setTimeInterval(5);
                if (layout.filter() != null)
                    q.setRemoteFilterFactory(FactoryBuilder.factoryOf(layout.filter()));
                cursors.add(node.cache("registry").query(q));
                readers.add(reader);
                FloorWriter writer = layout.writer(i, node.cluster().localNode().id(), node.cache("registry"), node.cache("snapshots"));
                workloads.add(new FloorWorkload(writer, node.name(), node.cluster().localNode().id(), batch));
            }
            for (int round = 0; round < 2; round++) {
                String prefix = "r" + round + "-";
                phase(layout, round, "start", workloads, readers, w -> w.start(prefix, share(n, w)));
                phase(layout, round, "churn", workloads, readers, w -> w.churn(prefix, share(churn, w)));
                if (workloads.get(0).writer.compactsSeparately())
                    phase(layout, round, "compact", workloads, readers, w -> w.writer.compact());
                phase(layout, round, "stop", workloads, readers, FloorWorkload::stopAll);
            }
            cursors.forEach(QueryCursor::close);
            workloads.forEach(w -> w.writer.close());
            registry.destroy();
            nodes.get(0).cache("snapshots").destroy();
        }

        private int share(int total, FloorWorkload w) {
            int k = w.writer.writer;
            return total / nodes.size() + (k < total % nodes.size() ? 1 : 0);
        }

        private void phase(FloorLayout layout, int round, String phase, List<FloorWorkload> workloads,
            List<FloorReader> readers, Consumer<FloorWorkload> work) throws Exception {
            long changes0 = 0;
            long live0 = 0;
            for (FloorWorkload w : workloads) {
                changes0 += w.starts + w.stops;
                live0 += w.live();
            }
            long[] outOfOrder0 = new long[readers.size()];
            for (int i = 0; i < readers.size(); i++)
                outOfOrder0[i] = readers.get(i).counts()[3];
            long used0 = offHeapUsed();
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            List<Future<?>> running = new ArrayList<>();
            for (FloorWorkload w : workloads)
                running.add(pool.submit(() -> {
                    work.accept(w);
                    w.writer.finish();
                }));
            for (Future<?> f : running)
                f.get();
            long acked = System.nanoTime();
            long target = 0;
            long starts = 0;
            long stops = 0;
            long live = 0;
            for (FloorWorkload w : workloads) {
                target += w.writer.target();
                starts += w.starts;
                stops += w.stops;
                live += w.live();
            }
            boolean visible = true;
            for (FloorReader reader : readers) {
                long deadline = System.nanoTime() + WAIT_SECONDS * 1_000_000_000L;
                while (reader.progress() < target && System.nanoTime() < deadline)
                    Thread.sleep(1);
                if (reader.progress() < target) {
                    visible = false;
                    System.out.printf(Locale.ROOT, "%s %s: a reader stuck at %,d of %,d%n", layout.name(), phase, reader.progress(), target);
                }
            }
            long t1 = System.nanoTime();
            double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
            long used1 = offHeapUsed();
            long changes = starts + stops - changes0;
            long counted = phase.equals("compact") ? live0 : changes;
            String check = visible ? "ok" : "NOT VISIBLE after " + WAIT_SECONDS + " s";
            long outOfOrder = 0;
            for (int i = 0; i < readers.size(); i++) {
                long[] c = readers.get(i).counts();
                outOfOrder = Math.max(outOfOrder, c[3] - outOfOrder0[i]);
                if (c[4] > 0)
                    check = String.format(Locale.ROOT, "node %d: %,d stale events skipped", i, c[4]);
                if (c[0] != live || c[1] != starts || c[2] != stops)
                    check = String.format(Locale.ROOT, "node %d: %,d children, %,d inserted, %,d removed; expected %,d / %,d / %,d",
                        i, c[0], c[1], c[2], live, starts, stops);
            }
            // Round 1 reuses the pages round 0 freed: the first round's growth is the honest figure.
            if (round == 0 && phase.equals("start"))
                firstStartOffHeap = String.format(Locale.ROOT, "%,.0f", (used1 - used0) / (double)nodes.size() / counted);
            String offHeap = phase.equals("start") ? firstStartOffHeap : "";
            double wall = (t1 - t0) / 1e9;
            String row = String.format(Locale.ROOT, "| %s | %s | %,d | %.2f s (acked %.2f s) | %,.0f | %.1f | %s | %,d | %s |",
                layout.name(), phase, counted, wall, (acked - t0) / 1e9, counted / wall, cpu * 1e6 / counted, offHeap, outOfOrder, check);
            System.out.println("round " + round + " " + row);
            if (round == 1)
                table.add(row);
        }

        private long offHeapUsed() {
            long sum = 0;
            for (Ignite node : nodes)
                sum += node.dataRegionMetrics("default").getTotalUsedSize();
            return sum;
        }
    }
}
