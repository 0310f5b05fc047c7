package io.processhub.tests;

import io.processhub.ProcessHub;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Constant call and cast load on children that check their order ({@code SequenceChild}): each caller thread calls
 * every child in turn and waits for each answer; the caster casts to every child in turn. Messages carry a seq per
 * sender and child. Counts what was acknowledged, sent and failed.
 */
final class SequencedLoad implements AutoCloseable {
    private final ProcessHub hub;
    private final List<String> ids;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();
    /** Per child, the calls it acknowledged. */
    final Map<String, LongAdder> acknowledged = new ConcurrentHashMap<>();
    /** Per child, the casts sent to it. */
    final Map<String, LongAdder> cast = new ConcurrentHashMap<>();
    final AtomicLong calls = new AtomicLong();
    final Queue<String> failures = new ConcurrentLinkedQueue<>();

    final String name;

    /** Starts the load; {@code name} prefixes the senders' names, so each load's seqs start at 1. */
    SequencedLoad(String name, ProcessHub hub, List<String> ids, int callers) {
        this.name = name;
        this.hub = hub;
        this.ids = ids;
        for (String id : ids) {
            acknowledged.put(id, new LongAdder());
            cast.put(id, new LongAdder());
        }
        for (int t = 0; t < callers; t++) {
            String sender = name + "-caller" + t;
            threads.add(new Thread(() -> call(sender), sender));
        }
        threads.add(new Thread(this::cast, name + "-caster"));
        threads.forEach(Thread::start);
    }

    private void call(String sender) {
        Map<String, Long> seqs = new ConcurrentHashMap<>();
        while (running.get()) {
            for (String id : ids) {
                if (!running.get())
                    return;
                long seq = seqs.merge(id, 1L, Long::sum);
                try {
                    hub.call(id, "call:" + sender + ":" + seq, Duration.ofSeconds(10)).get(15, TimeUnit.SECONDS);
                    acknowledged.get(id).increment();
                    calls.incrementAndGet();
                }
                catch (Exception e) {
                    failures.add(id + " " + sender + ":" + seq + ": " + e);
                }
            }
        }
    }

    private void cast() {
        Map<String, Long> seqs = new ConcurrentHashMap<>();
        while (running.get()) {
            for (String id : ids) {
                long seq = seqs.merge(id, 1L, Long::sum);
                try {
                    hub.cast(id, "cast:" + name + "-caster:" + seq);
                    cast.get(id).increment();
                }
                catch (RuntimeException e) {
                    failures.add(id + " " + name + "-caster:" + seq + ": " + e);
                    seqs.merge(id, -1L, Long::sum); // not sent: the next cast takes its seq
                }
            }
            // Paced (not a wait for the cluster): a round every 20 ms at most, so casts do not crowd the calls out.
            try {
                Thread.sleep(20);
            }
            catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread t : threads)
            t.join();
    }
}
