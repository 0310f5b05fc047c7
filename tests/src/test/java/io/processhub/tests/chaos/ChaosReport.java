package io.processhub.tests.chaos;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** What a chaos run did and found: operations and faults by kind, violations, the longest windows and settle times. */
final class ChaosReport {
    private final Map<String, AtomicLong> operations = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> faults = new ConcurrentHashMap<>();
    private final Map<String, String> violations = new LinkedHashMap<>();
    private final Map<String, Oracle.Window> windows = new LinkedHashMap<>();
    private Oracle.Window longestDoubleLive;
    private Oracle.Window longestTwoActive;
    private long quietPoints;
    private long longestSettleMs;
    private long rejoins;
    private List<String> staleRestores = List.of();
    private long longestRejoinMs;
    private long events;
    private long checkpoints;

    void operation(String kind) {
        operations.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
    }

    void fault(String kind) {
        faults.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
    }

    /** Records a violation under {@code key}; a later report under the same key (an ongoing window) replaces it. */
    synchronized void violation(String key, String detail) {
        if (!violations.containsKey(key))
            System.out.println("[chaos] VIOLATION " + detail);
        violations.put(key, detail);
    }

    synchronized List<String> violations() {
        return new ArrayList<>(violations.values());
    }

    synchronized void window(Oracle.Window w, boolean replicated) {
        windows.put(w.hub() + "/" + w.child() + "@" + w.from(), w);
        if (replicated) {
            if (longestTwoActive == null || w.micros() > longestTwoActive.micros())
                longestTwoActive = w;
        }
        else if (longestDoubleLive == null || w.micros() > longestDoubleLive.micros())
            longestDoubleLive = w;
    }

    synchronized void quietPoint(long settleMs) {
        quietPoints++;
        longestSettleMs = Math.max(longestSettleMs, settleMs);
    }

    synchronized void staleRestores(List<String> found) {
        staleRestores = List.copyOf(found);
    }

    /** Nodes cut off were back {@code ms} after the heal. */
    synchronized void rejoin(long ms) {
        rejoins++;
        longestRejoinMs = Math.max(longestRejoinMs, ms);
    }

    synchronized void events(long events, long checkpoints) {
        this.events = events;
        this.checkpoints = checkpoints;
    }

    synchronized String render(String header) {
        StringBuilder sb = new StringBuilder();
        sb.append("=== ").append(header).append(" ===\n");
        sb.append("operations: ").append(counts(operations)).append('\n');
        sb.append("faults injected: ").append(counts(faults)).append('\n');
        sb.append("events logged by children: ").append(events);
        if (ChaosCheckpoints.ENABLED)
            sb.append(", checkpoints acknowledged: ").append(checkpoints);
        sb.append('\n');
        sb.append("quiet points: ").append(quietPoints).append(", longest time to settle: ").append(longestSettleMs).append(" ms\n");
        sb.append("network cuts healed and rejoined: ").append(rejoins).append(", longest from heal to rejoined: ")
            .append(longestRejoinMs).append(" ms\n");
        sb.append("windows: ").append(windows.values().stream().filter(w -> !ChaosHubs.REPLICATED.contains(w.hub())).count())
            .append(" double-live (singleton hub), ").append(windows.values().stream().filter(w -> ChaosHubs.REPLICATED.contains(w.hub())).count())
            .append(" two-ACTIVE (ACTIVE_PASSIVE hub)\n");
        sb.append("longest double-live window (singleton hub): ").append(describe(longestDoubleLive)).append('\n');
        sb.append("longest two-ACTIVE window (ACTIVE_PASSIVE hub): ").append(describe(longestTwoActive)).append('\n');
        if (!staleRestores.isEmpty()) {
            sb.append("states given below the last checkpoint (no violation unless checkpointed): ").append(staleRestores.size()).append('\n');
            for (String r : staleRestores.subList(0, Math.min(5, staleRestores.size())))
                sb.append("  - ").append(r).append('\n');
        }
        sb.append("violations: ").append(violations.size()).append('\n');
        for (String v : violations.values())
            sb.append("  - ").append(v).append('\n');
        return sb.toString();
    }

    private static String describe(Oracle.Window w) {
        return w == null ? "none" : w.micros() / 1000 + " ms (" + w.describe() + ")";
    }

    private static String counts(Map<String, AtomicLong> m) {
        Map<String, Long> sorted = new TreeMap<>();
        long total = 0;
        for (Map.Entry<String, AtomicLong> e : m.entrySet()) {
            sorted.put(e.getKey(), e.getValue().get());
            total += e.getValue().get();
        }
        return total + " " + sorted;
    }
}
