package io.processhub.ignite.registry;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which removals must outlive the log that holds them. A removal supersedes puts of other writers, and a put stays
 * readable as long as its log is in the cache: a node that joins and reads the put without the removal starts a
 * stopped child again. A departed writer's log never compacts, so a removal must be kept (in the snapshots of a live
 * writer) while a departed log written after it, which may hold such a put, is still in the cache. The oldest member
 * takes over, before it removes a departed log, the removals of that log still needed so. Pure.
 */
final class DepartedRemovals {
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
