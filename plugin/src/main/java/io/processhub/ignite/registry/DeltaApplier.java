package io.processhub.ignite.registry;

import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;
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
        /** The writer's first batch still in the cache, as far as this node knows: after its latest snapshot. */
        long logStart = 1;
        /** When the writer published the last batch applied here. */
        long lastWrittenAt;
        /** Its log was removed from the cache (it departed, and what was current in it was taken over). */
        boolean removed;
    }

    /** A departed writer's log, as this node knows it. */
    static final class DepartedLog {
        final UUID writer;
        final long logStart;
        final long applied;
        final long lastWrittenAt;

        DepartedLog(UUID writer, long logStart, long applied, long lastWrittenAt) {
            this.writer = writer;
            this.logStart = logStart;
            this.applied = applied;
            this.lastWrittenAt = lastWrittenAt;
        }
    }

    private final RegistryIndex index;
    private final LongConsumer versionSeen;
    private final GapListener gaps;
    /** The writer bits of this node's versions, and what to do when another writer's removal supersedes its record. */
    private final long ownBits;
    private final Runnable ownRecordSuperseded;
    private final Map<UUID, WriterState> writers = new HashMap<>();
    /** Told of every applied change; silent while the registry loads what existed before this node attached. */
    private RegistryIndex.ChangeListener listener;

    DeltaApplier(RegistryIndex index, RegistryIndex.ChangeListener listener, LongConsumer versionSeen, GapListener gaps,
        long ownBits, Runnable ownRecordSuperseded) {
        this.index = index;
        this.listener = listener;
        this.versionSeen = versionSeen;
        this.gaps = gaps;
        this.ownBits = ownBits;
        this.ownRecordSuperseded = ownRecordSuperseded;
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
            if (jumpToSnapshot(w, changedChildren))
                return;
            if (wasContiguous || d.seq() < w.held.lastKey())
                gaps.gap(d.writer(), w.applied + 1, w.held.firstKey());
            return;
        }
        apply(w, d, changedChildren);
        applyHeld(w, changedChildren);
    }

    /**
     * Receives batches read from the cache, telling {@code notReceived} of each one this node had neither applied nor
     * held before (its event has not come, or not yet), checked and received under one lock: an event applied while
     * the read was under way is never taken for one that did not come.
     */
    synchronized void receiveRead(List<RegistryDelta> read, Set<String> changedChildren, Consumer<RegistryDelta> notReceived) {
        for (RegistryDelta d : read) {
            WriterState w = writers.get(d.writer());
            if (w == null || d.seq() > w.applied && !w.held.containsKey(d.seq()))
                notReceived.accept(d);
            receive(d, changedChildren);
        }
    }

    private void applyHeld(WriterState w, Set<String> changedChildren) {
        while (!w.held.isEmpty() && w.held.firstKey() == w.applied + 1)
            apply(w, w.held.pollFirstEntry().getValue(), changedChildren);
    }

    /**
     * A node behind a writer's snapshot (it missed batches the writer has since compacted away, or it has just joined)
     * takes the whole snapshot once all of its batches are here: what it holds of the writer and the snapshot does not
     * have is removed, then the snapshot is applied. A node that is not behind applies it like any batch (it changes
     * nothing there: the same records at the same versions).
     */
    private boolean jumpToSnapshot(WriterState w, Set<String> changedChildren) {
        RegistryDelta start = null;
        for (RegistryDelta h : w.held.descendingMap().values())
            if (h.startsSnapshot()) {
                start = h;
                break;
            }
        if (start == null || start.seq() <= w.applied + 1)
            return false;
        for (long s = start.seq(); s <= start.snapshotLast(); s++)
            if (!w.held.containsKey(s))
                return false;
        Set<String> kept = new java.util.HashSet<>();
        for (long s = start.seq(); s <= start.snapshotLast(); s++)
            for (Object v : w.held.get(s).values())
                kept.add(RegistryDelta.keyOf(v));
        index.removeWrittenBy(VersionClock.writerBitsOf(start.version()), start.version(), kept, listener, changedChildren);
        w.applied = start.seq() - 1;
        w.held.headMap(start.seq()).clear();
        applyHeld(w, changedChildren);
        return true;
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
        applyHeld(w, changedChildren);
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

    /** The logs of writers not in {@code alive} that are still in the cache. */
    synchronized java.util.List<DepartedLog> departed(Set<UUID> alive) {
        java.util.List<DepartedLog> res = new java.util.ArrayList<>();
        writers.forEach((id, w) -> {
            if (!alive.contains(id) && !w.removed && w.applied > 0)
                res.add(new DepartedLog(id, w.logStart, w.applied, w.lastWrittenAt));
        });
        return res;
    }

    synchronized void logRemoved(UUID writer) {
        WriterState w = writers.get(writer);
        if (w != null)
            w.removed = true;
    }

    private void apply(WriterState w, RegistryDelta d, Set<String> changedChildren) {
        w.applied = d.seq();
        w.lastWrittenAt = d.writtenAtMillis();
        index.forgetOldRemovals(System.currentTimeMillis());
        if (d.startsSnapshot())
            w.logStart = d.seq();
        versionSeen.accept(d.version());
        java.util.List<String> removedKeys = d.removedKeys();
        for (int i = 0; i < removedKeys.size(); i++) {
            String key = removedKeys.get(i);
            // A spec has writers other than the node that removes it (a child that moved, stopped on its new node).
            long specVersion = RegistryKeys.isReplicaKey(key) ? 0 : index.specVersionOf(RegistryKeys.childIdOf(key));
            if (specVersion != 0 && specVersion <= d.removedUpTo(i) && VersionClock.writerBitsOf(specVersion) == ownBits)
                ownRecordSuperseded.run(); // this node's own removals count as changes anyway
            index.remove(key, d.removedUpTo(i), listener);
            changedChildren.add(RegistryKeys.childIdOf(key));
        }
        java.util.List<Object> values = d.values();
        for (int i = 0; i < values.size(); i++) {
            Object v = values.get(i);
            index.put(v, d.valueVersion(i), listener);
            changedChildren.add(v instanceof ChildSpec ? ((ChildSpec)v).id() : ((ChildRef)v).childId());
        }
    }
}
