package io.processhub.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * CPU used by the JVM's threads since construction, grouped by thread name with digits and node suffixes removed
 * (so "sys-stripe-3-#4%a%" and "sys-stripe-0-#1%b%" count as one group): where an idle cluster spends its time.
 */
final class ThreadCpu {
    private final ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    private final Map<Long, Long> cpuAtStart = new HashMap<>();

    ThreadCpu() {
        for (long id : mx.getAllThreadIds())
            cpuAtStart.put(id, Math.max(0, mx.getThreadCpuTime(id)));
    }

    /** The {@code n} groups that used the most CPU since construction: "group ms (threads)". */
    String top(int n) {
        Map<String, long[]> byGroup = new HashMap<>();
        for (long id : mx.getAllThreadIds()) {
            ThreadInfo info = mx.getThreadInfo(id);
            long cpu = mx.getThreadCpuTime(id);
            if (info == null || cpu < 0)
                continue;
            long[] g = byGroup.computeIfAbsent(group(info.getThreadName()), k -> new long[2]);
            g[0] += cpu - cpuAtStart.getOrDefault(id, 0L);
            g[1]++;
        }
        return byGroup.entrySet().stream()
            .sorted((x, y) -> Long.compare(y.getValue()[0], x.getValue()[0]))
            .limit(n)
            .map(e -> String.format(Locale.ROOT, "%s %.0f ms (%d)", e.getKey(), e.getValue()[0] / 1e6, e.getValue()[1]))
            .collect(Collectors.joining(", "));
    }

    /** Live threads per group, largest groups first. */
    String counts() {
        Map<String, Long> byGroup = new HashMap<>();
        for (ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds()))
            if (info != null)
                byGroup.merge(group(info.getThreadName()), 1L, Long::sum);
        return byGroup.entrySet().stream()
            .sorted((x, y) -> Long.compare(y.getValue(), x.getValue()))
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining(" "));
    }

    private static String group(String name) {
        return name.replaceAll("%[^%]*%", "").replaceAll("[0-9]+", "#");
    }
}
