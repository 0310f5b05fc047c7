package io.processhub.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.cache.CacheEntryEventSerializableFilter;
import org.apache.ignite.cache.affinity.AffinityKey;

/**
 * (b) and (d) Per-writer append-only deltas: one entry per batch under (writer, seq), all of a writer's deltas in
 * one partition (affinity key = the writer) so they reach every reader in sequence order. Compaction writes the
 * writer's records to a second cache without a continuous query (readers need it only to catch up or join) and
 * then removes the deltas it covers (the readers' remote filter drops those removals):
 * <ul>
 * <li>{@code compactEvery == 0}: one snapshot of the whole writer, in chunks of {@link #CHUNK} records, as a
 * phase of its own (measured separately);</li>
 * <li>{@code compactEvery > 0}: once {@code compactEvery} changes were published since the last compaction, in
 * the background, the per-(writer, partition) segments that changed since then.</li>
 * </ul>
 */
final class DeltaLayout implements FloorLayout {
    private static final int CHUNK = 4_096;

    private final String name;
    private final int compactEvery;
    private final int partitions;

    DeltaLayout(String name, int compactEvery, int partitions) {
        this.name = name;
        this.compactEvery = compactEvery;
        this.partitions = partitions;
    }

    @Override public String name() {
        return name;
    }

    @Override public CacheEntryEventSerializableFilter<Object, Object> filter() {
        return new DeltaEventsOnly();
    }

    @Override public FloorReader reader(int writers) {
        return new DeltaReader(writers);
    }

    @Override public FloorWriter writer(int writer, UUID nodeId, IgniteCache<Object, Object> registry, IgniteCache<Object, Object> snapshots) {
        return new FloorWriter(writer, registry) {
            private final Map<Integer, HashMap<String, FloorChange>> segments = new HashMap<>();
            private final Set<Integer> dirty = new HashSet<>();
            private final ExecutorService compactor = compactEvery > 0 ? Executors.newSingleThreadExecutor() : null;
            private Future<?> lastCompaction;
            private long compactedUpTo;
            private long changesSinceCompaction;

            @Override void publish(List<FloorChange> batch) {
                seq++;
                track(registry.putAsync(deltaKey(seq), new FloorDelta(writer, seq, batch.toArray(new FloorChange[0]))));
                for (FloorChange c : batch) {
                    int p = Math.floorMod(c.childId.hashCode(), partitions);
                    HashMap<String, FloorChange> seg = segments.computeIfAbsent(p, k -> new HashMap<>());
                    if (c.isStop())
                        seg.remove(c.childId);
                    else
                        seg.put(c.childId, c);
                    dirty.add(p);
                }
                changesSinceCompaction += batch.size();
                if (compactEvery > 0 && changesSinceCompaction >= compactEvery) {
                    changesSinceCompaction = 0;
                    compactDirtyInBackground();
                }
            }

            private AffinityKey<String> deltaKey(long s) {
                return new AffinityKey<>("d/" + writer + "/" + s, "w" + writer);
            }

            private void compactDirtyInBackground() {
                Map<Object, Object> out = new HashMap<>();
                for (int p : dirty)
                    out.put("s/" + writer + "/" + p, new FloorSegment(writer, seq, 0, new HashMap<>(segments.get(p))));
                dirty.clear();
                Set<Object> covered = coveredDeltas();
                lastCompaction = compactor.submit(() -> {
                    snapshots.putAll(out);
                    registry.removeAll(covered);
                });
            }

            private Set<Object> coveredDeltas() {
                Set<Object> keys = new HashSet<>();
                for (long s = compactedUpTo + 1; s <= seq; s++)
                    keys.add(deltaKey(s));
                compactedUpTo = seq;
                return keys;
            }

            @Override boolean compactsSeparately() {
                return compactEvery == 0;
            }

            /** One snapshot of all of this writer's records, then the deltas it covers go. */
            @Override void compact() {
                finish();
                Map<Object, Object> out = new HashMap<>();
                HashMap<String, FloorChange> chunk = new HashMap<>();
                int n = 0;
                List<HashMap<String, FloorChange>> chunks = new ArrayList<>();
                for (HashMap<String, FloorChange> seg : segments.values()) {
                    for (FloorChange c : seg.values()) {
                        chunk.put(c.childId, c);
                        if (chunk.size() == CHUNK) {
                            chunks.add(chunk);
                            chunk = new HashMap<>();
                        }
                    }
                }
                chunks.add(chunk);
                for (HashMap<String, FloorChange> c : chunks)
                    out.put("snap/" + writer + "/" + n++, new FloorSegment(writer, seq, chunks.size(), c));
                snapshots.putAll(out);
                registry.removeAll(coveredDeltas());
            }

            @Override void finish() {
                super.finish();
                try {
                    if (lastCompaction != null)
                        lastCompaction.get();
                }
                catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override void close() {
                if (compactor != null)
                    compactor.shutdown();
            }
        };
    }
}
