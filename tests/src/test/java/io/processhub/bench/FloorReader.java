package io.processhub.bench;

import java.util.HashMap;
import java.util.Map;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryUpdatedListener;

/**
 * One node's copy of the registry, fed by that node's continuous query: the map lookups would read, and the
 * inserted / removed counts the registry hooks would fire. Listener batches come from several Ignite threads at
 * once (one per partition stripe), hence the lock; the floor does not measure contention on it.
 */
abstract class FloorReader implements CacheEntryUpdatedListener<Object, Object> {
    private final Map<String, FloorChange> children = new HashMap<>();
    private long inserted;
    private long removed;
    /** Batches that arrived ahead of a missing sequence number (buffered until it came). */
    private long outOfOrder;
    /** Events older than what this node already applied for their key (skipped). */
    private long stale;

    @Override public final synchronized void onUpdated(Iterable<CacheEntryEvent<?, ?>> events) {
        for (CacheEntryEvent<?, ?> e : events)
            apply(e);
    }

    /** Applies one event; runs under this reader's lock. */
    abstract void apply(CacheEntryEvent<?, ?> e);

    /** How far this reader got, comparable to the sum of the writers' {@link FloorWriter#target()}. */
    abstract long progressLocked();

    final synchronized long progress() {
        return progressLocked();
    }

    final void insert(FloorChange c) {
        if (children.put(c.childId, c) == null)
            inserted++;
    }

    final void remove(String childId) {
        if (children.remove(childId) != null)
            removed++;
    }

    final void countOutOfOrder() {
        outOfOrder++;
    }

    final void countStale() {
        stale++;
    }

    final synchronized long[] counts() {
        return new long[] {children.size(), inserted, removed, outOfOrder, stale};
    }
}
