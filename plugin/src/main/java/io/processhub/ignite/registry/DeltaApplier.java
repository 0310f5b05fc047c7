package io.processhub.ignite.registry;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.LongConsumer;

/**
 * The one applier of registry batches on a node: applies each writer's batches to the index in sequence order, exactly
 * once. A batch that arrives ahead of a missing one is held, and the gap is reported at once ({@link GapListener}); a
 * batch at or below what was applied is a duplicate and is dropped. Thread-safe: one caller at a time applies.
 */
final class DeltaApplier {
    /** Told when a writer's batches stop being contiguous: from {@code firstMissing} on, up to the first held one. */
    interface GapListener {
        void gap(UUID writer, long firstMissing, long firstHeld);
    }

    /** One writer's sequence on this node. */
    private static final class WriterState {
        /** The last seq applied (0: none). */
        long applied;
        /** Batches that arrived ahead of a missing one, by seq. */
        final TreeMap<Long, RegistryDelta> held = new TreeMap<>();
    }

    private final RegistryIndex index;
    private final LongConsumer versionSeen;
    private final GapListener gaps;
    private final Map<UUID, WriterState> writers = new HashMap<>();
    /** Told of every applied change; silent while the registry loads what existed before this node attached. */
    private RegistryIndex.ChangeListener listener;

    DeltaApplier(RegistryIndex index, RegistryIndex.ChangeListener listener, LongConsumer versionSeen, GapListener gaps) {
        this.index = index;
        this.listener = listener;
        this.versionSeen = versionSeen;
        this.gaps = gaps;
    }

    synchronized void listener(RegistryIndex.ChangeListener listener) {
        this.listener = listener;
    }

    /**
     * Applies a batch if it is the writer's next, with the held batches it unblocks; holds it if it is ahead.
     *
     * Adds to {@code changedChildren} the ids of the children whose entries it applied changes to.
     */
    synchronized void receive(RegistryDelta d, Set<String> changedChildren) {
        WriterState w = writers.computeIfAbsent(d.writer(), k -> new WriterState());
        if (d.seq() <= w.applied || w.held.containsKey(d.seq()))
            return;
        if (d.seq() != w.applied + 1) {
            boolean wasContiguous = w.held.isEmpty();
            w.held.put(d.seq(), d);
            if (wasContiguous || d.seq() < w.held.lastKey())
                gaps.gap(d.writer(), w.applied + 1, w.held.firstKey());
            return;
        }
        apply(w, d, changedChildren);
        while (!w.held.isEmpty() && w.held.firstKey() == w.applied + 1)
            apply(w, w.held.pollFirstEntry().getValue(), changedChildren);
    }

    /**
     * Gives up on a writer's missing batches below {@code seq} (its node is gone and they are nowhere to be read):
     * applies what is held from there on.
     */
    synchronized void skipTo(UUID writer, long seq, Set<String> changedChildren) {
        WriterState w = writers.get(writer);
        if (w == null || seq <= w.applied + 1)
            return;
        w.applied = seq - 1;
        w.held.headMap(seq).clear();
        while (!w.held.isEmpty() && w.held.firstKey() == w.applied + 1)
            apply(w, w.held.pollFirstEntry().getValue(), changedChildren);
    }

    /** The last seq applied of each writer: this node's digest. */
    synchronized Map<UUID, Long> applied() {
        Map<UUID, Long> res = new HashMap<>();
        writers.forEach((id, w) -> res.put(id, w.applied));
        return res;
    }

    synchronized long applied(UUID writer) {
        WriterState w = writers.get(writer);
        return w == null ? 0 : w.applied;
    }

    /** The first seq held ahead of a gap, or 0 if the writer's batches are contiguous. */
    synchronized long firstHeld(UUID writer) {
        WriterState w = writers.get(writer);
        return w == null || w.held.isEmpty() ? 0 : w.held.firstKey();
    }

    private void apply(WriterState w, RegistryDelta d, Set<String> changedChildren) {
        w.applied = d.seq();
        versionSeen.accept(d.version());
        for (int i = 0; i < d.removedKeys().size(); i++) {
            String key = d.removedKeys().get(i);
            index.remove(key, d.removedUpTo(i), listener);
            changedChildren.add(RegistryKeys.childIdOf(key));
        }
        for (int i = 0; i < d.values().size(); i++) {
            Object v = d.values().get(i);
            index.put(v, d.valueVersion(i), listener);
            changedChildren.add(RegistryKeys.childIdOf(RegistryDelta.keyOf(v)));
        }
    }
}
