package io.processhub.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Latency samples in nanoseconds, one per operation, and their percentiles (a sorted copy, no histogram). */
final class Latencies {
    private final long[] samples;
    private int n;

    Latencies(int capacity) {
        samples = new long[capacity];
    }

    void add(long nanos) {
        samples[n++] = nanos;
    }

    int count() {
        return n;
    }

    void clear() {
        n = 0;
    }

    /** The q-quantile (0 < q ≤ 1), nearest rank. */
    long percentile(double q) {
        long[] sorted = Arrays.copyOf(samples, n);
        Arrays.sort(sorted);
        int idx = (int)Math.ceil(q * n) - 1;
        return sorted[Math.max(0, Math.min(n - 1, idx))];
    }

    double mean() {
        double sum = 0;
        for (int i = 0; i < n; i++)
            sum += samples[i];
        return n == 0 ? 0 : sum / n;
    }

    Map<String, Object> summary() {
        long[] sorted = Arrays.copyOf(samples, n);
        Arrays.sort(sorted);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("samples", n);
        m.put("p50_ns", at(sorted, 0.50));
        m.put("p90_ns", at(sorted, 0.90));
        m.put("p99_ns", at(sorted, 0.99));
        m.put("p999_ns", at(sorted, 0.999));
        m.put("max_ns", sorted[n - 1]);
        m.put("mean_ns", mean());
        return m;
    }

    private static long at(long[] sorted, double q) {
        int idx = (int)Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, idx))];
    }

    /** 153 ns, 2.4 µs, 1.27 ms. */
    static String human(double nanos) {
        if (nanos < 1_000)
            return String.format(Locale.ROOT, "%.0f ns", nanos);
        if (nanos < 1_000_000)
            return String.format(Locale.ROOT, "%.1f µs", nanos / 1e3);
        return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
    }
}
