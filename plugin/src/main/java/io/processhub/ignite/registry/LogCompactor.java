package io.processhub.ignite.registry;

import io.processhub.ignite.HubContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongPredicate;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Keeps this writer's log short: once it has published about as many changes as it has live records (at least
 * {@link RegistryTuning#snapshotAfterChanges}) and then paused for a moment (or four times that many without a
 * pause), or half the removals' memory ({@link RegistryTuning#removalsKeptMillis}) after its first change since the
 * last snapshot, it writes a snapshot of what is still current of it (read from the
 * index) and removes the batches it replaces. The bound on age keeps a writer's superseded puts from outliving the
 * other writers' removals that superseded them.
 *
 * <p>On the oldest member the snapshot also takes over the specs still current of departed writers (versions that
 * carry the writer bits of no live member, such as a spec whose child is being restarted elsewhere; their refs go
 * with their nodes) and, a period after a departed writer's last batch, the removals of its log still needed
 * ({@link DepartedRemovals}); that log is then removed. An idle writer never compacts: nothing changed.
 */
final class LogCompactor {
    private static final Logger LOG = LogManager.getLogger(LogCompactor.class);
    private static final long CHECK_MILLIS = 1_000;
    /** How long a snapshot waits for the batches in flight to land and be applied here before giving up this time. */
    private static final long SETTLE_MILLIS = 5_000;
    private static final long SETTLE_POLL_MILLIS = 5;
    /** How long the writer must have published nothing for a snapshot that is due by size to be written. */
    private static final long QUIET_MILLIS = 500;
    /**
     * While the writer keeps publishing, how far past the size threshold its log may grow before a snapshot is
     * written anyway. Snapshots in the middle of a burst (a start of 100,000 children) rewrote every live record
     * two or three times over and paused the writer each time.
     */
    private static final long BUSY_FACTOR = 4;

    private final HubContext hub;
    private final DeltaPublisher publisher;
    private final DeltaApplier applier;
    private final RegistryIndex index;
    private final long ownBits;
    private final RegistryTuning tuning;
    private final AtomicBoolean running = new AtomicBoolean();
    private long liveAtLastSnapshot;
    private ScheduledFuture<?> task;

    LogCompactor(HubContext hub, DeltaPublisher publisher, DeltaApplier applier, long ownBits, RegistryTuning tuning) {
        this.tuning = tuning;
        this.hub = hub;
        this.publisher = publisher;
        this.applier = applier;
        this.index = hub.index;
        this.ownBits = ownBits;
    }

    void start() {
        task = hub.timer.scheduleWithFixedDelay(this::check, CHECK_MILLIS, CHECK_MILLIS, TimeUnit.MILLISECONDS);
    }

    void stop() {
        if (task != null)
            task.cancel(false);
    }

    private void check() {
        // A side without quorum writes nothing, snapshots included.
        if (hub.membership() == null || running.get() || hub.isPartitioned())
            return;
        long changes = publisher.changesSinceSnapshot();
        long now = System.currentTimeMillis();
        long threshold = Math.max(tuning.snapshotAfterChanges, liveAtLastSnapshot);
        boolean quiet = now - publisher.lastChangeAt() >= QUIET_MILLIS;
        boolean due = changes >= threshold && (quiet || changes >= BUSY_FACTOR * threshold)
            || changes > 0 && now - publisher.firstChangeSinceSnapshotAt() >= tuning.removalsKeptMillis / 2;
        boolean oldest = isOldest();
        List<DeltaApplier.DepartedLog> departed = oldest ? applier.departed(liveMembers()) : List.of();
        List<DeltaApplier.DepartedLog> dueLogs = new ArrayList<>();
        List<DeltaApplier.DepartedLog> remaining = new ArrayList<>();
        for (DeltaApplier.DepartedLog d : departed)
            (isDue(d, now) ? dueLogs : remaining).add(d);
        if (!due && dueLogs.isEmpty())
            return;
        if (!running.compareAndSet(false, true))
            return;
        if (dueLogs.isEmpty()) {
            pauseAndSnapshot(oldest, dueLogs);
            return;
        }
        adoptRemovalsOf(dueLogs, remaining).whenComplete((v, err) -> {
            if (err != null) {
                LOG.debug("Hub {} on {}: departed registry logs not read; their removal is put off", hub.hubId, hub.localName, err);
                running.set(false);
                return;
            }
            try {
                hub.timer.execute(() -> pauseAndSnapshot(true, dueLogs));
            }
            catch (RejectedExecutionException stopping) {
                running.set(false);
            }
        });
    }

    /**
     * Reads departed logs about to be removed and keeps the removals of them still needed in this writer's snapshots
     * ({@link DepartedRemovals}). Completes on an Ignite thread.
     */
    private CompletableFuture<Void> adoptRemovalsOf(List<DeltaApplier.DepartedLog> dueLogs,
        List<DeltaApplier.DepartedLog> remaining) {
        CompletableFuture<?>[] reads = new CompletableFuture<?>[dueLogs.size()];
        for (int i = 0; i < dueLogs.size(); i++) {
            DeltaApplier.DepartedLog d = dueLogs.get(i);
            reads[i] = hub.registry.readLog(d.writer, d.logStart, d.applied).thenAccept(log -> publisher.adoptRemovals(
                DepartedRemovals.toKeep(log, remaining, System.currentTimeMillis(), tuning.removalsKeptMillis)));
        }
        return CompletableFuture.allOf(reads);
    }

    private void pauseAndSnapshot(boolean oldest, List<DeltaApplier.DepartedLog> dueLogs) {
        long last = publisher.pause();
        awaitSettled(last, System.currentTimeMillis() + SETTLE_MILLIS, oldest, dueLogs);
    }

    /** Waits, without blocking a thread, until the batches in flight landed and this node applied them. */
    private void awaitSettled(long last, long deadline, boolean oldest, List<DeltaApplier.DepartedLog> dueLogs) {
        if (publisher.idle() && applier.applied(hub.localNodeId) >= last) {
            snapshot(oldest, dueLogs);
            return;
        }
        if (System.currentTimeMillis() > deadline || hub.registry.isClosed()) {
            LOG.debug("Hub {} on {}: registry snapshot put off, batches up to {} not applied here yet", hub.hubId, hub.localName, last);
            publisher.resume();
            running.set(false);
            return;
        }
        try {
            hub.timer.schedule(() -> awaitSettled(last, deadline, oldest, dueLogs), SETTLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
        }
        catch (RejectedExecutionException stopping) {
            publisher.resume();
            running.set(false);
        }
    }

    /** Writes the snapshot, then removes the departed logs {@code dueLogs} whose removals it carries now. */
    private void snapshot(boolean oldest, List<DeltaApplier.DepartedLog> dueLogs) {
        Set<Long> liveBits = new HashSet<>();
        for (ClusterNode n : hub.membership().nodes())
            liveBits.add(VersionClock.writerBitsOf(n.order()));
        Map<String, Object> values = new HashMap<>();
        Map<String, Long> versions = new HashMap<>();
        // Read while batches keep arriving: this writer's own are paused and applied, and another writer's change
        // can only supersede a record of this one, which readers then ignore at its older version.
        index.writtenBy(ownBits, oldest ? bits -> !liveBits.contains(bits) : bits -> false, values, versions);
        Set<UUID> alive = liveMembers();
        long now = System.currentTimeMillis();
        List<DeltaApplier.DepartedLog> departed = applier.departed(alive);
        LongPredicate shadowsDepartedLog = oldest ? removedAt -> DepartedRemovals.writtenAfter(departed, removedAt)
            : removedAt -> DepartedRemovals.mayHoldOlderPut(departed, removedAt, now, tuning.removalsKeptMillis);
        publisher.writeSnapshot(values, versions, tuning.removalsKeptMillis, shadowsDepartedLog).whenComplete((v, err) -> {
            running.set(false);
            if (err != null) {
                LOG.debug("Hub {} on {}: registry snapshot not written", hub.hubId, hub.localName, err);
                return;
            }
            liveAtLastSnapshot = values.size();
            LOG.debug("Hub {} on {}: registry snapshot of {} records written", hub.hubId, hub.localName, values.size());
            for (DeltaApplier.DepartedLog d : dueLogs) {
                publisher.removeBatches(d.writer, d.logStart, d.applied);
                applier.logRemoved(d.writer);
                LOG.info("Hub {} on {}: registry log of departed node {} removed (batches {}..{})", hub.hubId,
                    hub.localName, d.writer, d.logStart, d.applied);
            }
        });
    }

    /**
     * Whether the oldest member removes a departed log now: a period after its last batch. In any order: a later log
     * that may hold puts an earlier one's removals superseded keeps those removals alive in this writer's snapshots.
     */
    private boolean isDue(DeltaApplier.DepartedLog d, long now) {
        return now - d.lastWrittenAt >= tuning.removalsKeptMillis;
    }

    private boolean isOldest() {
        ClusterNode oldest = hub.membership().oldest();
        return oldest != null && oldest.id().equals(hub.localNodeId);
    }

    private Set<UUID> liveMembers() {
        Set<UUID> res = new HashSet<>();
        for (ClusterNode n : hub.membership().nodes())
            res.add(n.id());
        return res;
    }

    /**
     * Which removals must outlive the log that holds them. A removal supersedes puts of other writers, and a put stays
     * readable as long as its log is in the cache: a node that joins and reads the put without the removal starts a
     * stopped child again. A departed writer's log never compacts, so a removal must be kept (in the snapshots of a live
     * writer) while a departed log written after it, which may hold such a put, is still in the cache. The oldest member
     * takes over, before it removes a departed log, the removals of that log still needed so. Pure.
     */
    static final class DepartedRemovals {
        /** Slack between a departed log's due removal and its actual one (the oldest's check period, the removal's write). */
        static final long MARGIN_MILLIS = 10_000;

        private DepartedRemovals() {
        }

        /**
         * Whether one of these departed logs, all still in the cache, may hold a put that a removal made at
         * {@code removedAt} superseded: it was written to after the removal (give or take the margin), so it outlives
         * the removal's own period. What the oldest member decides by: it removes departed logs, so it knows which remain.
         */
        static boolean writtenAfter(List<DeltaApplier.DepartedLog> logs, long removedAt) {
            for (DeltaApplier.DepartedLog d : logs)
                if (d.lastWrittenAt >= removedAt - MARGIN_MILLIS)
                    return true;
            return false;
        }

        /**
         * {@link #writtenAfter} for a node that is not the oldest member, which does not learn when a departed log is
         * removed: it counts a log as in the cache until a period after its last batch, and a margin for the oldest's delay.
         */
        static boolean mayHoldOlderPut(List<DeltaApplier.DepartedLog> logs, long removedAt, long now, long periodMillis) {
            for (DeltaApplier.DepartedLog d : logs)
                if (d.lastWrittenAt >= removedAt - MARGIN_MILLIS && now < d.lastWrittenAt + periodMillis + MARGIN_MILLIS)
                    return true;
            return false;
        }

        /**
         * The removals of a departed log (its batches, in order) that must be kept after it is removed: those younger than
         * a period, and those that a departed log {@code remaining} in the cache may shadow. Key → {removed up to, when}
         * (a snapshot's removals count from the snapshot: that is when they were last written).
         */
        static Map<String, long[]> toKeep(List<RegistryDelta> log, List<DeltaApplier.DepartedLog> remaining, long now,
            long periodMillis) {
            Map<String, long[]> res = new HashMap<>();
            for (RegistryDelta d : log) {
                long at = d.writtenAtMillis();
                if (now - at < periodMillis || writtenAfter(remaining, at))
                    for (int i = 0; i < d.removedKeys().size(); i++)
                        res.put(d.removedKeys().get(i), new long[] {d.removedUpTo(i), at}); // a later batch's removal wins
            }
            return res;
        }
    }
}
