package io.processhub.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.ignite.Ignite;
import org.apache.ignite.cache.query.ContinuousQuery;
import org.apache.ignite.cache.query.QueryCursor;

/**
 * The idle cost of continuous queries, to test the suspicion that each hub's query flushes on a 5 ms timer: the
 * process CPU (as a share of one core) and thread count of 3 idle in-JVM nodes with no cache, then with
 * {@link #CACHES} idle REPLICATED caches each with one continuous query per node, once with
 * {@code setTimeInterval(5)} (the registry's setting) and once without a time interval. With an interval, Ignite
 * starts a "continuous-buffer-checker" thread per query per node that sleeps the interval in a loop
 * ({@code GridContinuousProcessor.registerHandler}).
 */
final class IdleQueryCost {
    private static final int CACHES = 10;
    private static final long SETTLE_MS = 3_000;

    private final List<Ignite> nodes;
    private final com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean)ManagementFactory.getOperatingSystemMXBean();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    IdleQueryCost(List<Ignite> nodes) {
        this.nodes = nodes;
    }

    void run(int seconds) throws InterruptedException {
        List<String> rows = new ArrayList<>();
        rows.add(measure("no cache", seconds));
        for (long interval : new long[] {5, 0}) {
            List<QueryCursor<?>> cursors = new ArrayList<>();
            for (int c = 0; c < CACHES; c++) {
                nodes.get(0).getOrCreateCache(RegistryWriteFloor.replicated("idle-" + c));
                for (Ignite node : nodes) {
                    ContinuousQuery<Object, Object> q = new ContinuousQuery<>();
                    q.setLocalListener(events -> { });
                    q.setPageSize(256);
                    q.setTimeInterval(interval);
                    cursors.add(node.cache("idle-" + c).query(q));
                }
            }
            rows.add(measure(CACHES + " caches × 1 continuous query per node, time interval " + interval + " ms", seconds));
            cursors.forEach(QueryCursor::close);
            for (int c = 0; c < CACHES; c++)
                nodes.get(0).cache("idle-" + c).destroy();
        }
        System.out.printf(Locale.ROOT, "%nIdle cost, 3 nodes in one JVM, %d s each%n", seconds);
        System.out.println("| configuration | CPU, % of one core | threads | of which continuous-buffer-checker |");
        System.out.println("|---|---|---|---|");
        rows.forEach(System.out::println);
    }

    private String measure(String what, int seconds) throws InterruptedException {
        Thread.sleep(SETTLE_MS);
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1_000L);
        double share = (os.getProcessCpuTime() - cpu0) * 100.0 / (System.nanoTime() - t0);
        long checkers = Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().startsWith("continuous-buffer-checker")).count();
        String row = String.format(Locale.ROOT, "| %s | %.1f %% | %d | %d |", what, share, threads.getThreadCount(), checkers);
        System.out.println(row);
        return row;
    }
}
