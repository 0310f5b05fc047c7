package io.processhub.bench;

import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import io.processhub.ReplicaRole;
import io.processhub.examples.CounterChild;
import io.processhub.examples.LocalNode;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.Ignition;
import org.apache.ignite.cache.CacheAtomicityMode;
import org.apache.ignite.cache.CacheMode;
import org.apache.ignite.cache.CacheWriteSynchronizationMode;
import org.apache.ignite.cache.query.ContinuousQuery;
import org.apache.ignite.configuration.CacheConfiguration;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.lang.IgniteFuture;

/**
 * Ignite's floor for the registry's write path, without the plugin: 3 nodes in this JVM, a REPLICATED ATOMIC
 * FULL_SYNC cache with one continuous query per node (the registry's configuration), and N children written the
 * way the supervisors write them (a spec entry and a replica entry per child, {@code putAll} in chunks of 4 096,
 * a third of the children from each node), timed until every node's query has seen every entry. With
 * {@code --segments} the same children are written as one entry per (partition, owner node) holding all of that
 * segment's specs and refs: the layout that would amortise Ignite's per-entry cost. Two rounds; the second is
 * the warm one.
 *
 * <p>{@code mvn -q -pl tests -am test-compile exec:exec@bench -Dbench.main=io.processhub.bench.RegistryWriteFloor
 * "-Dbench.args=--children 100000 [--segments]"}
 */
public final class RegistryWriteFloor {
    private static final int PORT = 61_120;
    private static final int CHUNK = 4_096;
    private static final int SEGMENTS = 1_024;

    private RegistryWriteFloor() {
    }

    public static void main(String[] args) throws Exception {
        int n = 100_000;
        boolean segments = false;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--children"))
                n = Integer.parseInt(args[++i]);
            else if (args[i].equals("--segments"))
                segments = true;
            else if (args[i].equals("--json"))
                i++; // the bench execution passes it; nothing is written here
        }
        System.setProperty("IGNITE_QUIET", "false");
        try {
            run(n, segments);
        }
        finally {
            Ignition.stopAll(true);
        }
        System.exit(0);
    }

    private static void run(int n, boolean segments) throws Exception {
        List<Ignite> nodes = new ArrayList<>();
        for (String name : List.of("x", "y", "z")) {
            IgniteConfiguration cfg = LocalNode.config(name, PORT).setFailureDetectionTimeout(20_000);
            nodes.add(Ignition.start(cfg));
        }
        nodes.get(0).getOrCreateCache(new CacheConfiguration<String, Object>("registry").setCacheMode(CacheMode.REPLICATED)
            .setAtomicityMode(CacheAtomicityMode.ATOMIC).setWriteSynchronizationMode(CacheWriteSynchronizationMode.FULL_SYNC));
        AtomicLong[] seen = new AtomicLong[nodes.size()];
        for (int i = 0; i < nodes.size(); i++) {
            AtomicLong counter = new AtomicLong();
            seen[i] = counter;
            ContinuousQuery<String, Object> q = new ContinuousQuery<>();
            q.setLocalListener(events -> events.forEach(e -> counter.incrementAndGet()));
            q.setPageSize(256);
            q.setTimeInterval(5);
            nodes.get(i).<String, Object>cache("registry").query(q);
        }
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)ManagementFactory.getOperatingSystemMXBean();
        long expected = 0;
        for (int round = 0; round < 2; round++) {
            String prefix = "r" + round + "-";
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            List<IgniteFuture<Void>> writes = new ArrayList<>();
            for (int node = 0; node < nodes.size(); node++) {
                IgniteCache<String, Object> cache = nodes.get(node).cache("registry");
                UUID nodeId = nodes.get(node).cluster().localNode().id();
                String nodeName = "node-" + node;
                Map<String, Object> chunk = new HashMap<>();
                Map<Integer, HashMap<String, Object>> bySegment = new HashMap<>();
                for (int i = node; i < n; i += nodes.size()) {
                    String id = prefix + i;
                    ChildSpec spec = ChildSpec.of(id, CounterChild.class);
                    ChildRef ref = new ChildRef("bench", id, nodeName, nodeId, 1, ReplicaRole.ACTIVE);
                    if (segments) {
                        HashMap<String, Object> seg = bySegment.computeIfAbsent(Math.floorMod(id.hashCode(), SEGMENTS), k -> new HashMap<>());
                        seg.put(id, spec);
                        seg.put(id + '\u0000', ref);
                        continue;
                    }
                    chunk.put(id, spec);
                    chunk.put(id + '\u0000' + nodeId, ref);
                    if (chunk.size() >= CHUNK) {
                        writes.add(cache.putAllAsync(chunk));
                        chunk = new HashMap<>();
                    }
                }
                for (Map.Entry<Integer, HashMap<String, Object>> e : bySegment.entrySet())
                    chunk.put(prefix + "segment-" + e.getKey() + "-" + node, e.getValue());
                expected += chunk.size();
                if (!chunk.isEmpty())
                    writes.add(cache.putAllAsync(chunk));
            }
            if (!segments)
                expected = 2L * n * (round + 1);
            for (IgniteFuture<Void> w : writes)
                w.get();
            long acked = System.nanoTime();
            for (AtomicLong s : seen)
                while (s.get() < expected)
                    Thread.sleep(1);
            long t1 = System.nanoTime();
            double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
            System.out.printf(Locale.ROOT, "%s, round %d: %,d children written in %.2f s, seen by every node's query after %.2f s "
                    + "-> %,.0f children/s, %.0f µs CPU per child%n", segments ? "segments" : "an entry per spec and per replica",
                round, n, (acked - t0) / 1e9, (t1 - t0) / 1e9, n / ((t1 - t0) / 1e9), cpu * 1e6 / n);
        }
    }
}
