package io.processhub.ignite.registry;

import io.processhub.ignite.HubContext;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
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
 * with their nodes), and their logs are then removed. An idle writer never compacts: nothing changed.
 */
final class LogCompactor {
    private static final Logger LOG = LogManager.getLogger(LogCompactor.class);
    private static final long CHECK_MILLIS = 1_000;
    /** How long a snapshot waits for the batches in flight to land and be applied here before giving up this time. */
    private static final long SETTLE_MILLIS = 5_000;
    private static final long SETTLE_POLL_MILLIS = 5;
    /** How many periods a departed log may be held back behind later departed logs (see {@link #removable}). */
    private static final long DEPARTED_LOG_MAX_PERIODS = 10;
    /** Slack between a departed log's due removal and its actual one (the oldest's check period, the removal's write). */
    private static final long DEPARTED_LOG_MARGIN_MILLIS = 10_000;
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
        if (!due && !(oldest && anyDepartedLogToRemove()))
            return;
        if (!running.compareAndSet(false, true))
            return;
        long last = publisher.pause();
        awaitSettled(last, System.currentTimeMillis() + SETTLE_MILLIS, oldest);
    }

    /** Waits, without blocking a thread, until the batches in flight landed and this node applied them. */
    private void awaitSettled(long last, long deadline, boolean oldest) {
        if (publisher.idle() && applier.applied(hub.localNodeId) >= last) {
            snapshot(oldest);
            return;
        }
        if (System.currentTimeMillis() > deadline || hub.registry.isClosed()) {
            LOG.debug("Hub {} on {}: registry snapshot put off, batches up to {} not applied here yet", hub.hubId, hub.localName, last);
            publisher.resume();
            running.set(false);
            return;
        }
        try {
            hub.timer.schedule(() -> awaitSettled(last, deadline, oldest), SETTLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
        }
        catch (RejectedExecutionException stopping) {
            publisher.resume();
            running.set(false);
        }
    }

    private void snapshot(boolean oldest) {
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
        LongPredicate shadowsDepartedLog = removedAt -> mayHoldOlderPut(departed, removedAt, now);
        publisher.writeSnapshot(values, versions, tuning.removalsKeptMillis, shadowsDepartedLog).whenComplete((v, err) -> {
            running.set(false);
            if (err != null) {
                LOG.debug("Hub {} on {}: registry snapshot not written", hub.hubId, hub.localName, err);
                return;
            }
            liveAtLastSnapshot = values.size();
            LOG.debug("Hub {} on {}: registry snapshot of {} records written", hub.hubId, hub.localName, values.size());
            if (!oldest)
                return;
            for (DeltaApplier.DepartedLog d : departed)
                if (removable(d, departed, now)) {
                    publisher.removeBatches(d.writer, d.logStart, d.applied);
                    applier.logRemoved(d.writer);
                    LOG.info("Hub {} on {}: registry log of departed node {} removed (batches {}..{})", hub.hubId,
                        hub.localName, d.writer, d.logStart, d.applied);
                }
        });
    }

    private boolean anyDepartedLogToRemove() {
        long now = System.currentTimeMillis();
        List<DeltaApplier.DepartedLog> departed = applier.departed(liveMembers());
        for (DeltaApplier.DepartedLog d : departed)
            if (removable(d, departed, now))
                return true;
        return false;
    }

    /** A departed writer's removals may still be needed against older puts in other logs for a while. */
    /**
     * Whether a departed writer's log, still in the cache, may hold a put that a removal made at {@code removedAt}
     * superseded: the log was written to after the removal, so it outlives the removal's own period and would
     * outlive the removal too (a departed writer never compacts its log). A node that joined then would read the put
     * without the removal and start a stopped child again. The margin covers the oldest member's delay in removing
     * the log after its period.
     */
    private boolean mayHoldOlderPut(List<DeltaApplier.DepartedLog> departed, long removedAt, long now) {
        for (DeltaApplier.DepartedLog d : departed)
            if (d.lastWrittenAt >= removedAt - DEPARTED_LOG_MARGIN_MILLIS
                && now < d.lastWrittenAt + tuning.removalsKeptMillis + DEPARTED_LOG_MARGIN_MILLIS)
                return true;
        return false;
    }

    /**
     * Whether the oldest member may remove a departed writer's log: its period is over, and no other departed log still
     * in the cache was written to after it. Such a later log may hold puts that this log's removals superseded (the
     * writer of a stopped child's spec removal crashed, the other replica's node left later), and never compacts: it
     * must go first, or a node that joined between the two removals would read those puts alone. Under constant churn
     * that order could hold logs back for good, so past {@link #DEPARTED_LOG_MAX_PERIODS} periods a log goes anyway.
     */
    private boolean removable(DeltaApplier.DepartedLog d, List<DeltaApplier.DepartedLog> departed, long now) {
        long age = now - d.lastWrittenAt;
        if (age < tuning.removalsKeptMillis)
            return false;
        if (age >= DEPARTED_LOG_MAX_PERIODS * tuning.removalsKeptMillis)
            return true;
        for (DeltaApplier.DepartedLog other : departed)
            if (other != d && other.lastWrittenAt > d.lastWrittenAt)
                return false;
        return true;
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
}
