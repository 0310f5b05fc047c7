package io.processhub.ignite.transport;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What one node did for the ROLLBACK batches that reached it, so that their abort can undo it whatever the order in
 * which the batch's messages arrive: the children each batch started here, the nodes it forwarded parts of the
 * batch to, and which batches were aborted (a start of an aborted batch that arrives later is refused). Entries are
 * kept for {@link #RETENTION_MILLIS} after the batch's deadline: the caller aborts right after its deadline at the
 * latest, and a start that arrives after the deadline is refused anyway. Loop only.
 */
public final class RollbackLedger {
    /** How long after its deadline a batch is remembered. */
    static final long RETENTION_MILLIS = 60_000;

    /** One batch, by its caller and request id. */
    private static final class Batch {
        long expiresAt;
        boolean aborted;
        final Set<String> started = new LinkedHashSet<>();
        final Set<UUID> forwardedTo = new HashSet<>();
    }

    private final Map<String, Batch> batches = new HashMap<>();

    private static String key(UUID origin, long batchId) {
        return origin + "#" + batchId;
    }

    private Batch batch(UUID origin, long batchId, long deadline, long now) {
        purge(now);
        Batch b = batches.computeIfAbsent(key(origin, batchId), k -> new Batch());
        b.expiresAt = Math.max(b.expiresAt, Math.max(deadline, now) + RETENTION_MILLIS);
        return b;
    }

    private void purge(long now) {
        batches.values().removeIf(b -> b.expiresAt < now);
    }

    /** Whether the batch was aborted here already: its start requests are refused. */
    public boolean isAborted(UUID origin, long batchId) {
        Batch b = batches.get(key(origin, batchId));
        return b != null && b.aborted;
    }

    /** Part of the batch was forwarded to {@code node}: an abort is passed on there. */
    public void forwarded(UUID origin, long batchId, long deadline, UUID node, long now) {
        batch(origin, batchId, deadline, now).forwardedTo.add(node);
    }

    /** The batch started these children here; they are stopped if it is (or gets) aborted. */
    public void started(UUID origin, long batchId, long deadline, List<String> childIds, long now) {
        batch(origin, batchId, deadline, now).started.addAll(childIds);
    }

    /**
     * Records the abort of a batch and hands over what to undo: the children it started here (forgotten now, so
     * they are stopped once) and the nodes to pass the abort on to. Later starts of the batch are refused.
     *
     * @return null if the batch was aborted here already (the abort came twice: broadcast and passed on)
     */
    public Undo abort(Messages.AbortStart abort, long now) {
        Batch b = batch(abort.origin, abort.batchId, 0, now);
        if (b.aborted)
            return null;
        b.aborted = true;
        Undo undo = new Undo(new ArrayList<>(b.started), new ArrayList<>(b.forwardedTo));
        b.started.clear();
        b.forwardedTo.clear();
        return undo;
    }

    /** Batches remembered, aborted or not (for tests). */
    int size() {
        return batches.size();
    }

    /** What an abort undoes on this node. */
    public static final class Undo {
        public final List<String> started;
        public final List<UUID> forwardedTo;

        Undo(List<String> started, List<UUID> forwardedTo) {
            this.started = started;
            this.forwardedTo = forwardedTo;
        }
    }
}
