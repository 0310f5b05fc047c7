package io.processhub.bench;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.lang.IgniteFuture;

/**
 * (c) and (d) One entry per (writer, segment) holding all of that writer's records in the segment, rewritten whole
 * when a batch changes it; an emptied segment is written empty (a removal would lose the sequence number).
 * {@code segments} = 1024 is the existing {@code --segments} mode (a segment per registry partition); fewer
 * segments are ranges of partitions. At most one write of a segment is in flight: two async writes of one key
 * in an ATOMIC cache may be applied in either order, and the older content would win, in the cache itself.
 */
final class SegmentLayout implements FloorLayout {
    private final String name;
    private final int segments;

    SegmentLayout(String name, int segments) {
        this.name = name;
        this.segments = segments;
    }

    @Override public String name() {
        return name;
    }

    @Override public FloorReader reader(int writers) {
        return new SegmentReader(writers);
    }

    @Override public FloorWriter writer(int writer, UUID nodeId, IgniteCache<Object, Object> registry, IgniteCache<Object, Object> snapshots) {
        return new FloorWriter(writer, registry) {
            private final Map<Integer, HashMap<String, FloorChange>> content = new HashMap<>();
            private final Map<Integer, IgniteFuture<?>> lastWrite = new HashMap<>();

            @Override void publish(List<FloorChange> batch) {
                Map<Integer, HashMap<String, FloorChange>> dirty = new HashMap<>();
                for (FloorChange c : batch) {
                    int s = Math.floorMod(c.childId.hashCode(), segments);
                    HashMap<String, FloorChange> seg = content.computeIfAbsent(s, k -> new HashMap<>());
                    if (c.isStop())
                        seg.remove(c.childId);
                    else
                        seg.put(c.childId, c);
                    dirty.put(s, seg);
                }
                seq++;
                Map<Object, Object> out = new HashMap<>();
                for (Map.Entry<Integer, HashMap<String, FloorChange>> e : dirty.entrySet()) {
                    IgniteFuture<?> previous = lastWrite.get(e.getKey());
                    if (previous != null)
                        previous.get();
                    out.put("s/" + writer + "/" + e.getKey(), new FloorSegment(writer, seq, dirty.size(), new HashMap<>(e.getValue())));
                }
                IgniteFuture<?> write = registry.putAllAsync(out);
                for (Integer s : dirty.keySet())
                    lastWrite.put(s, write);
                track(write);
            }
        };
    }
}
