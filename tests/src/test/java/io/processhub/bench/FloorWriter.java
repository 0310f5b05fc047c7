package io.processhub.bench;

import java.util.ArrayDeque;
import java.util.List;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.lang.IgniteFuture;

/**
 * The single writer of one node's records in one layout: publishes each batch of child changes with the next
 * sequence number, keeping at most {@link #WINDOW} writes in flight (as a hub pipelining its batches would).
 */
abstract class FloorWriter {
    static final int WINDOW = 8;

    final int writer;
    final IgniteCache<Object, Object> registry;
    private final ArrayDeque<IgniteFuture<?>> inFlight = new ArrayDeque<>();
    long seq;

    FloorWriter(int writer, IgniteCache<Object, Object> registry) {
        this.writer = writer;
        this.registry = registry;
    }

    abstract void publish(List<FloorChange> batch);

    final void track(IgniteFuture<?> write) {
        inFlight.add(write);
        while (inFlight.size() > WINDOW)
            inFlight.poll().get();
    }

    /** Waits for every write of this writer, including background compaction. */
    void finish() {
        while (!inFlight.isEmpty())
            inFlight.poll().get();
    }

    /** What every reader's progress must reach for this writer: its last sequence number. */
    long target() {
        return seq;
    }

    /** Whether {@link #compact()} is a phase of its own (otherwise compaction, if any, runs inline). */
    boolean compactsSeparately() {
        return false;
    }

    void compact() {
    }

    void close() {
    }
}
