package io.processhub.bench;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import javax.cache.event.CacheEntryEvent;

/**
 * Applies rewritten segments: the hooks come from the difference between this node's copy of a segment and its
 * new content. A batch is complete once all of its {@code parts} segments arrived; the segments of one batch sit
 * in different partitions, whose events arrive in no common order, so a batch completed ahead of an earlier one
 * is only counted: here a missing sequence number cannot be told from one still on its way. A segment older than
 * this node's copy is skipped and counted (it must not happen: the writer has one write per segment in flight).
 */
final class SegmentReader extends FloorReader {
    private final Map<Object, FloorSegment> copies = new HashMap<>();
    private final long[] complete;
    private final Map<Long, Integer>[] received;
    private final Set<Long>[] completeAhead;

    @SuppressWarnings("unchecked")
    SegmentReader(int writers) {
        complete = new long[writers];
        received = new Map[writers];
        completeAhead = new Set[writers];
        for (int w = 0; w < writers; w++) {
            received[w] = new HashMap<>();
            completeAhead[w] = new HashSet<>();
        }
    }

    @Override void apply(CacheEntryEvent<?, ?> e) {
        FloorSegment seg = (FloorSegment)e.getValue();
        FloorSegment old = copies.get(e.getKey());
        if (old != null && old.seq >= seg.seq) {
            countStale();
            return;
        }
        copies.put(e.getKey(), seg);
        for (FloorChange c : seg.records.values())
            if (old == null || !old.records.containsKey(c.childId))
                insert(c);
        if (old != null)
            for (String id : old.records.keySet())
                if (!seg.records.containsKey(id))
                    remove(id);
        int w = seg.writer;
        int got = received[w].merge(seg.seq, 1, Integer::sum);
        if (got < seg.parts)
            return;
        received[w].remove(seg.seq);
        if (seg.seq != complete[w] + 1) {
            countOutOfOrder();
            completeAhead[w].add(seg.seq);
            return;
        }
        complete[w] = seg.seq;
        while (completeAhead[w].remove(complete[w] + 1))
            complete[w]++;
    }

    @Override long progressLocked() {
        long sum = 0;
        for (long c : complete)
            sum += c;
        return sum;
    }
}
