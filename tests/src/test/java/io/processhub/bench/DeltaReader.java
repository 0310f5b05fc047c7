package io.processhub.bench;

import java.util.TreeMap;
import javax.cache.event.CacheEntryEvent;

/**
 * Applies each writer's deltas in sequence order. All deltas of a writer share one partition (affinity key = the
 * writer), and the continuous query delivers a partition's events in order, so a delta that does not carry the
 * next sequence number means a lost event: here it is buffered and counted, a real index would read the writer's
 * records from the cache at once.
 */
final class DeltaReader extends FloorReader {
    private final long[] applied;
    private final TreeMap<Long, FloorDelta>[] ahead;

    @SuppressWarnings("unchecked")
    DeltaReader(int writers) {
        applied = new long[writers];
        ahead = new TreeMap[writers];
        for (int w = 0; w < writers; w++)
            ahead[w] = new TreeMap<>();
    }

    @Override void apply(CacheEntryEvent<?, ?> e) {
        FloorDelta d = (FloorDelta)e.getValue();
        if (d.seq <= applied[d.writer])
            return; // a duplicate
        if (d.seq != applied[d.writer] + 1) {
            countOutOfOrder();
            ahead[d.writer].put(d.seq, d);
            return;
        }
        applyInOrder(d);
        FloorDelta next;
        while ((next = ahead[d.writer].remove(applied[d.writer] + 1)) != null)
            applyInOrder(next);
    }

    private void applyInOrder(FloorDelta d) {
        for (FloorChange c : d.changes) {
            if (c.isStop())
                remove(c.childId);
            else
                insert(c);
        }
        applied[d.writer] = d.seq;
    }

    @Override long progressLocked() {
        long sum = 0;
        for (long a : applied)
            sum += a;
        return sum;
    }
}
