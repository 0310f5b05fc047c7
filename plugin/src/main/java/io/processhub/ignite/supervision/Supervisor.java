package io.processhub.ignite.supervision;

import io.processhub.ignite.checkpoint.CheckpointStore;
import io.processhub.ignite.checkpoint.CheckpointVersion;
import io.processhub.ignite.checkpoint.ClaimRefusedException;
import io.processhub.ignite.checkpoint.StoredCheckpoint;
import io.processhub.ignite.supervision.casts.CastOrder;
import io.processhub.ignite.supervision.casts.SequencedCast;
import io.processhub.ignite.supervision.casts.CastReceipts;
import io.processhub.ChildCallException;
import io.processhub.ChildError;
import io.processhub.ChildProcess;
import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import io.processhub.MailboxFullException;
import io.processhub.NoSuchChildException;
import io.processhub.ReplicaAware;
import io.processhub.ReplicaRole;
import io.processhub.RestartPolicy;
import io.processhub.StatefulChild;
import io.processhub.StopReason;
import io.processhub.hook.ChildrenEvent;
import io.processhub.hook.HandoverEvent;
import io.processhub.hook.Hook;
import io.processhub.hook.PidUpdatedEvent;
import io.processhub.hook.RoleChangedEvent;
import io.processhub.hook.StartEvent;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Runs this node's children of one hub: starts them, delivers their messages, restarts them after a crash
 * within the restart intensity, stops them, and records what runs here ({@link ChildRecords}). Each child has one
 * {@link ChildLifecycle}; only the supervisor moves it. The cell map is changed only on the hub loop; instances are
 * touched only from their cell's mailbox. Other parts ask queries and give commands by child id.
 */
public final class Supervisor {
    private static final Logger LOG = LogManager.getLogger(Supervisor.class);

    /** Phases a stop request applies to: the child has, or is about to have, an instance. */
    private static final Set<ChildPhase> STOPPABLE = EnumSet.of(ChildPhase.STARTING, ChildPhase.RUNNING, ChildPhase.MOVING_OUT);

    private final SupervisionContext ctx;
    private final ChildRecords records;
    private final ReplicaPlacement placement;
    private final CheckpointStore checkpoints;
    /** Told when a child has a sender's casts up to a seq: the sender may forget them. */
    private final CastReceipts receipts;
    private final ChildFactory factory = new ChildFactory();
    /** Handed-over states for children that do not run here yet. Loop only. */
    private final PendingStates pendingStates = new PendingStates();
    /** This node's children by id, tombstones (RETIRED) included. Changed on the loop only. */
    private final ConcurrentHashMap<String, ChildCell> cells = new ConcurrentHashMap<>();

    /** The ids of {@link #cells} but tombstones, as a read-only view (contains is a map read). */
    private final Set<String> localIds = new AbstractSet<>() {
        @Override
        public boolean contains(Object id) {
            ChildCell cell = cells.get(id);
            return cell != null && cell.phase() != ChildPhase.RETIRED;
        }

        @Override
        public Iterator<String> iterator() {
            return cells.values().stream().filter(c -> c.phase() != ChildPhase.RETIRED).map(c -> c.id).iterator();
        }

        @Override
        public int size() {
            return (int)cells.values().stream().filter(c -> c.phase() != ChildPhase.RETIRED).count();
        }
    };

    public Supervisor(SupervisionContext ctx, ChildRecords records, ReplicaPlacement placement) {
        this(ctx, records, placement, CheckpointStore.NONE);
    }

    public Supervisor(SupervisionContext ctx, ChildRecords records, ReplicaPlacement placement, CheckpointStore checkpoints) {
        this(ctx, records, placement, checkpoints, CastReceipts.NONE);
    }

    public Supervisor(SupervisionContext ctx, ChildRecords records, ReplicaPlacement placement, CheckpointStore checkpoints,
        CastReceipts receipts) {
        this.ctx = ctx;
        this.records = records;
        this.placement = placement;
        this.checkpoints = checkpoints;
        this.receipts = receipts;
    }

    // ---------------------------------------------------------------- queries (any thread)

    /** A snapshot of the local child with this id (a retired one included), or null if this node has none. */
    public LocalChild local(String childId) {
        ChildCell cell = cells.get(childId);
        return cell == null ? null : cell.snapshot();
    }

    /** When this node retired the child (removed its spec) if the removal has not been seen yet; null otherwise. */
    public Long retiredSince(String childId) {
        ChildCell cell = cells.get(childId);
        return cell != null && cell.phase() == ChildPhase.RETIRED ? cell.retiredAt : null;
    }

    /** Snapshots of every child with a cell here (retired ones excluded). */
    public List<LocalChild> localChildren() {
        List<LocalChild> res = new ArrayList<>(cells.size());
        for (ChildCell cell : cells.values()) {
            LocalChild c = cell.snapshot();
            if (c.phase != ChildPhase.RETIRED)
                res.add(c);
        }
        return res;
    }

    /** Ids of the children with a cell here (retired ones excluded): a live view. */
    public Set<String> localIds() {
        return localIds;
    }

    /** The running children here whose current instance is active and hands state over. */
    public List<String> activeStatefulIds() {
        List<String> res = new ArrayList<>();
        for (ChildCell cell : cells.values()) {
            ChildRef ref = cell.ref;
            if (cell.phase() == ChildPhase.RUNNING && ref != null && ref.role() == ReplicaRole.ACTIVE
                && cell.instance instanceof StatefulChild)
                res.add(cell.id);
        }
        return res;
    }

    /** A ref of this child on another live node. */
    public ChildRef liveRefElsewhere(String childId) {
        return placement.liveRefElsewhere(childId);
    }

    // ---------------------------------------------------------------- retirement (loop)

    /**
     * Remembers that this node removed the child's spec, so it does not start it again until the removal is seen:
     * a tombstone, or a refreshed one. A child that still has a cell here cannot be retired this way (rejected).
     */
    public void markRetired(String childId) {
        ChildCell cell = cells.get(childId);
        if (cell == null) {
            ChildCell tombstone = new ChildCell(childId, null, null, lifecycle(childId, ChildPhase.RETIRED), ctx.childPool, 0);
            tombstone.retiredAt = ctx.clock.getAsLong();
            cells.put(childId, tombstone);
        }
        else if (cell.phase() == ChildPhase.RETIRED)
            cell.retiredAt = ctx.clock.getAsLong();
        else if (cell.lifecycle.move(cell.phase(), ChildPhase.RETIRED))
            release(cell, true); // DEAD: its stop was under way
    }

    /** The spec's removal was seen: ends a retirement (drops the tombstone). Whether there was one. */
    public boolean retirementSeen(String childId) {
        ChildCell cell = cells.get(childId);
        return cell != null && cell.phase() == ChildPhase.RETIRED && cells.remove(childId, cell);
    }

    private ChildLifecycle lifecycle(String childId, ChildPhase initial) {
        return new ChildLifecycle(childId, ctx.hubId, initial, ctx.metrics.illegalTransitions);
    }

    // ---------------------------------------------------------------- start (loop)

    /**
     * Starts children on this node as a request asked, and registers them (their specs and this node's replicas);
     * {@code batchDone} runs on the loop once the records are stored.
     */
    public void start(List<StartItem> items, boolean checkExisting, Consumer<BatchResult> batchDone) {
        start(items, checkExisting, true, batchDone);
    }

    /**
     * Starts replicas of children whose specs the registry holds (the reconciler's moves, replacements and new
     * replicas) and registers their refs only: the spec is the record of whoever started the child, and writing it
     * again here could undo a stop that raced this start. {@code batchDone} runs on the loop once the refs are stored.
     */
    public void startReplicas(List<StartItem> items, Consumer<BatchResult> batchDone) {
        start(items, false, false, batchDone);
    }

    private void start(List<StartItem> items, boolean checkExisting, boolean recordsSpecs, Consumer<BatchResult> batchDone) {
        BatchResult result = new BatchResult();
        List<CompletableFuture<Consumer<BatchResult>>> joined = new ArrayList<>();
        Consumer<BatchResult> onDone = r -> {
            if (joined.isEmpty())
                batchDone.accept(r);
            else
                afterJoined(joined, r, batchDone);
        };
        List<ChildCell> starting = new ArrayList<>(items.size());
        List<Integer> replicas = new ArrayList<>(items.size());
        for (StartItem item : items) {
            ChildSpec spec = item.spec;
            ChildCell existing = cells.get(spec.id());
            ChildPhase phase = existing == null ? null : existing.phase();
            if (phase == ChildPhase.RETIRED) {
                result.error(new ChildError(spec.id(), ctx.localName, ChildError.Reason.START_FAILED,
                    "a child with this id is being stopped; start it again once it is gone"), item.replica);
                continue;
            }
            if (existing != null && placement.copies() > 1 && spec.equals(existing.requested) && phase != ChildPhase.DEAD) {
                // A sibling replica's registration reached this owner first and its reconciler started this
                // replica already: the request is fulfilled (once that start is done), not refused.
                joined.add(awaitStarted(existing, item.replica));
                continue;
            }
            if (existing != null) {
                result.error(new ChildError(spec.id(), ctx.localName, ChildError.Reason.ALREADY_STARTED,
                    "already running on " + ctx.localName, existing.ref), item.replica);
                continue;
            }
            // With one copy, a live replica anywhere else means the id is taken; with several, the others are siblings.
            ChildRef elsewhere = checkExisting && placement.copies() == 1 ? placement.liveRefElsewhere(spec.id()) : null;
            if (elsewhere != null) {
                result.error(new ChildError(spec.id(), ctx.localName, ChildError.Reason.ALREADY_STARTED,
                    "already running on " + elsewhere.node(), elsewhere), item.replica);
                continue;
            }
            ChildCell cell = new ChildCell(spec.id(), spec, placement.initialRole(spec),
                lifecycle(spec.id(), ChildPhase.STARTING), ctx.childPool, ctx.mailboxCapacity);
            cell.recordsSpec = recordsSpecs;
            cell.handedOver = pendingStates.take(spec.id());
            cell.restoring = checkpoints.enabled();
            cells.put(spec.id(), cell);
            starting.add(cell);
            replicas.add(item.replica);
        }
        if (starting.isEmpty()) {
            onDone.accept(result);
            return;
        }
        List<ChildSpec> startingSpecs = new ArrayList<>(starting.size());
        for (ChildCell c : starting)
            startingSpecs.add(c.spec);
        ctx.hooks.fire(Hook.PRE_CHILDREN_START,
            () -> new ChildrenEvent(Hook.PRE_CHILDREN_START, ctx.hubId, ctx.localName, startingSpecs, ctx.localName));
        ChildError[] failures = new ChildError[starting.size()];
        AtomicInteger remaining = new AtomicInteger(starting.size());
        for (int i = 0; i < starting.size(); i++) {
            ChildCell cell = starting.get(i);
            int idx = i;
            cell.enqueue(() -> {
                failures[idx] = firstStart(cell);
                if (remaining.decrementAndGet() == 0)
                    ctx.loop.execute(() -> restoreStarted(starting, failures,
                        () -> register(starting, replicas, failures, result, onDone)));
            });
        }
    }

    /** Completes, after the cell's own start, with how to record that start in a batch result. */
    private CompletableFuture<Consumer<BatchResult>> awaitStarted(ChildCell cell, int replica) {
        CompletableFuture<Consumer<BatchResult>> recorded = new CompletableFuture<>();
        cell.enqueue(() -> {
            ChildRef ref = cell.ref;
            if (cell.phase() == ChildPhase.RUNNING && ref != null)
                recorded.complete(r -> r.started(ref, replica));
            else
                recorded.complete(r -> r.error(new ChildError(cell.id, ctx.localName, ChildError.Reason.START_FAILED,
                    "the replica failed to start on " + ctx.localName), replica));
        });
        return recorded;
    }

    private void afterJoined(List<CompletableFuture<Consumer<BatchResult>>> joined, BatchResult result, Consumer<BatchResult> done) {
        CompletableFuture.allOf(joined.toArray(new CompletableFuture[0])).thenRun(() -> ctx.loop.execute(() -> {
            for (CompletableFuture<Consumer<BatchResult>> f : joined)
                f.join().accept(result);
            done.accept(result);
        }));
    }

    /**
     * The first start, in the mailbox. A stop requested before it (phase STOPPING) does not prevent it: the stop
     * queued behind it stops the instance, and the start request still gets a ref.
     */
    private ChildError firstStart(ChildCell cell) {
        try {
            cell.spec = ctx.hooks.alter(cell.spec);
            launch(cell, 1, cell.initialRole);
            cell.lifecycle.move(ChildPhase.STARTING, ChildPhase.RUNNING);
            ctx.metrics.childrenStarted.increment();
            PendingStates.Pending pending = cell.handedOver;
            cell.handedOver = null;
            if (pending != null)
                restoreInMailbox(cell, pending);
            return null;
        }
        catch (ChildFactory.InvalidSpecException e) {
            died(cell);
            ctx.metrics.childStartFailures.increment();
            return new ChildError(cell.id, ctx.localName, ChildError.Reason.INVALID_SPEC, e.getMessage());
        }
        catch (Throwable e) {
            died(cell);
            ctx.metrics.childStartFailures.increment();
            LOG.warn("Child {} of hub {} failed to start", cell.id, ctx.hubId, e);
            return new ChildError(cell.id, ctx.localName, ChildError.Reason.START_FAILED, describe(e));
        }
    }

    /** Creates and starts an instance with the given incarnation and role, and tells it its role. Mailbox only. */
    private void launch(ChildCell cell, long incarnation, ReplicaRole role) throws Throwable {
        ChildProcess instance = factory.create(cell.spec);
        ChildRef ref = new ChildRef(ctx.hubId, cell.id, ctx.localName, ctx.localNodeId, incarnation, role);
        cell.ref = ref;
        instance.start(new ChildContextImpl(ctx, this, cell, ref));
        cell.instance = instance;
        if (instance instanceof ReplicaAware && placement.signals(role))
            ((ReplicaAware)instance).onRoleChange(role);
        cell.startedAt = ctx.clock.getAsLong(); // last: a launch that threw has not started the child
    }

    /** The instance is gone for good: no restart follows. Mailbox only. */
    private static void died(ChildCell cell) {
        cell.instance = null;
        while (true) {
            ChildPhase now = cell.phase();
            if (now == ChildPhase.DEAD || now == ChildPhase.RETIRED || cell.lifecycle.move(now, ChildPhase.DEAD))
                return;
        }
    }

    private void register(List<ChildCell> starting, List<Integer> replicas, ChildError[] failures, BatchResult result,
        Consumer<BatchResult> onDone) {
        List<ChildCell> started = new ArrayList<>();
        List<Integer> startedReplicas = new ArrayList<>();
        for (int i = 0; i < starting.size(); i++) {
            ChildCell cell = starting.get(i);
            ChildPhase phase = cell.phase();
            if (failures[i] != null) {
                release(cell, false);
                result.error(failures[i], replicas.get(i));
            }
            else if (cell.removedBy == StopReason.PARTITIONED)
                result.error(cutShort(cell), replicas.get(i)); // nothing registered it: it runs nowhere
            else if (cells.get(cell.id) != cell || phase != ChildPhase.RUNNING && phase != ChildPhase.MOVING_OUT)
                result.started(cell.ref, replicas.get(i)); // stopped again while starting: nothing to register
            else {
                started.add(cell);
                startedReplicas.add(replicas.get(i));
            }
        }
        List<ChildRef> refs = new ArrayList<>(started.size());
        List<ChildSpec> specs = new ArrayList<>(started.size());
        for (ChildCell cell : started) {
            refs.add(cell.ref);
            if (cell.recordsSpec)
                specs.add(cell.spec);
        }
        ctx.hooks.fire(Hook.POST_CHILDREN_START,
            () -> new StartEvent(Hook.POST_CHILDREN_START, ctx.hubId, ctx.localName, refs, result.errors));
        if (started.isEmpty()) {
            onDone.accept(result);
            return;
        }
        records.registered(specs, refs).whenComplete((ok, err) -> ctx.loop.execute(() -> {
            if (err != null)
                logWriteFailure("Registering", started.size(), err);
            long now = Math.max(1, ctx.clock.getAsLong());
            for (ChildCell cell : started)
                cell.registeredAt = now; // from now on the reconciler re-puts whatever the registry lacks
            for (int i = 0; i < refs.size(); i++) {
                // Quorum lost while the registration was in flight: it may have landed on this side only (the
                // writer withdrew the refs), which forgets it when it rejoins the other side.
                if (started.get(i).removedBy == StopReason.PARTITIONED)
                    result.error(cutShort(started.get(i)), startedReplicas.get(i));
                else
                    result.started(refs.get(i), startedReplicas.get(i));
            }
            ctx.hooks.fire(Hook.PROCESS_STARTUPS,
                () -> new StartEvent(Hook.PROCESS_STARTUPS, ctx.hubId, ctx.localName, refs, List.of()));
            onDone.accept(result);
        }));
    }

    // ---------------------------------------------------------------- stop (loop)

    /**
     * Stops local children and removes their replica records (and their specs too when {@code unregister}, leaving
     * tombstones); {@code onDone} gets the ids stopped, on the loop, after the records are stored. A stop as
     * {@link StopReason#MIGRATED} moves the children out, any other stops them.
     */
    public void stop(Collection<String> ids, StopReason reason, boolean unregister, Consumer<List<String>> onDone) {
        ChildPhase target = reason == StopReason.MIGRATED ? ChildPhase.MOVING_OUT : ChildPhase.STOPPING;
        List<ChildCell> stopping = new ArrayList<>(ids.size());
        for (String id : ids) {
            ChildCell cell = cells.get(id);
            if (cell == null || cell.phase() == ChildPhase.RETIRED)
                continue;
            stopping.add(cell);
            if (reason == StopReason.MIGRATED)
                cell.relocating = true;
            ChildPhase now = cell.phase();
            if (STOPPABLE.contains(now) && now != target && ChildLifecycle.isLegal(now, target))
                cell.lifecycle.move(now, target);
        }
        if (stopping.isEmpty()) {
            onDone.accept(List.of());
            return;
        }
        // A child moving away under ColdSwap leaves its live state as a last checkpoint for its new instance, which
        // starts once this replica is unregistered: so that comes after the checkpoint is stored (bounded).
        FinalCheckpoints last = new FinalCheckpoints();
        AtomicInteger remaining = new AtomicInteger(stopping.size());
        for (ChildCell cell : stopping) {
            cell.enqueue(() -> {
                if (reason == StopReason.MIGRATED)
                    last.take(cell);
                stopInstance(cell, reason);
                died(cell);
                if (remaining.decrementAndGet() == 0)
                    last.stored().whenComplete((ok, err) -> ctx.loop.execute(() -> unregister(stopping, unregister, onDone)));
            });
        }
    }

    /** Stops the current instance, if there is one. Mailbox only. */
    private void stopInstance(ChildCell cell, StopReason reason) {
        ChildProcess instance = cell.instance;
        cell.instance = null;
        if (instance == null)
            return;
        if (reason == StopReason.MIGRATED)
            ctx.metrics.childrenMovedOut.increment(); // here, once per instance, however often a pass decided the move
        try {
            instance.stop(reason);
        }
        catch (Throwable e) {
            LOG.warn("Child {} of hub {} threw from stop({})", cell.id, ctx.hubId, reason, e);
        }
    }

    /** The answer to a start that a loss of quorum cut short before the child was registered for sure. */
    private ChildError cutShort(ChildCell cell) {
        return new ChildError(cell.id, ctx.localName, ChildError.Reason.PARTITIONED,
            "this side lost quorum while the child was starting on " + ctx.localName + "; it was stopped");
    }

    /** A registry write of these children failed: a warning, unless the hub is stopping and cancelled it. */
    private void logWriteFailure(String what, int children, Throwable err) {
        if (unwrap(err) instanceof CancellationException)
            LOG.debug("{} {} children of hub {} cancelled: the hub is stopping", what, children, ctx.hubId);
        else
            LOG.warn("{} {} children of hub {} failed; the next sync repairs it", what, children, ctx.hubId, err);
    }

    private void unregister(List<ChildCell> stopped, boolean unregister, Consumer<List<String>> onDone) {
        List<String> ids = new ArrayList<>(stopped.size());
        for (ChildCell cell : stopped) {
            release(cell, unregister);
            ids.add(cell.id);
        }
        if (unregister && checkpoints.enabled())
            checkpoints.delete(ids); // after their last checkpoints: the store keeps the order of one node's calls
        records.unregistered(ids, unregister).whenComplete((ok, err) -> ctx.loop.execute(() -> {
            if (err != null)
                logWriteFailure("Unregistering", ids.size(), err);
            onDone.accept(ids);
        }));
    }

    /** Stops every local child without touching the records: the node is leaving, or lost quorum. Loop only. */
    public void stopAll(StopReason reason) {
        stopAll(reason, false);
    }

    /**
     * {@link #stopAll(StopReason)}; with {@code lastCheckpoints}, every active stateful child first takes a last
     * checkpoint, in the same mailbox turn as its stop (a node leaving gracefully without a state handover). Completes
     * once those are stored, refused or failed, or after {@link #LAST_CHECKPOINT_WAIT_MILLIS}. Loop only.
     */
    public CompletableFuture<Void> stopAll(StopReason reason, boolean lastCheckpoints) {
        FinalCheckpoints last = new FinalCheckpoints();
        List<ChildCell> stopping = new ArrayList<>();
        for (ChildCell cell : cells.values()) {
            ChildPhase now = cell.phase();
            if (now == ChildPhase.RETIRED || !cells.remove(cell.id, cell))
                continue;
            cell.relocating = true; // the child goes on elsewhere: this node leaves, or this side lost quorum
            cell.removedBy = reason;
            if (STOPPABLE.contains(now))
                cell.lifecycle.move(now, ChildPhase.STOPPING);
            stopping.add(cell);
        }
        if (stopping.isEmpty())
            return CompletableFuture.completedFuture(null);
        CompletableFuture<Void> done = new CompletableFuture<>();
        AtomicInteger remaining = new AtomicInteger(stopping.size());
        for (ChildCell cell : stopping) {
            // Counted after the stop: a cell still starting has started by then (its start is ahead in the mailbox).
            cell.enqueue(() -> {
                if (lastCheckpoints)
                    last.take(cell);
                stopInstance(cell, reason);
                died(cell);
                countStopped(cell);
                if (remaining.decrementAndGet() == 0)
                    last.stored().whenComplete((ok, err) -> done.complete(null));
            });
        }
        return done;
    }

    /** How long a stop waits for the last checkpoints of the children it stops before it goes on. */
    static final long LAST_CHECKPOINT_WAIT_MILLIS = 5_000;

    /** The last checkpoints of children that stop now, taken on their mailboxes; {@link #stored} once all are answered. */
    private final class FinalCheckpoints {
        private final ConcurrentLinkedQueue<CompletableFuture<?>> writes = new ConcurrentLinkedQueue<>();

        /** Takes the cell's last checkpoint if it checkpoints (an active, live, stateful instance). Mailbox only. */
        void take(ChildCell cell) {
            if (checkpoints(cell))
                writes.add(lastCheckpointStored(cell));
        }

        /** Completes once every checkpoint taken is answered, or after the wait. Call once every take is done. */
        CompletableFuture<Void> stored() {
            return writes.isEmpty() ? CompletableFuture.completedFuture(null)
                : CompletableFuture.allOf(writes.toArray(new CompletableFuture[0]));
        }
    }

    /**
     * A DEAD cell leaves this node's children: as a tombstone (RETIRED) when {@code retire}, else from the map.
     * A child that had started counts as stopped for good. Every removal but {@link #stopAll} goes through here.
     * Whether the cell was still here. Loop only.
     */
    private boolean release(ChildCell cell, boolean retire) {
        if (cells.get(cell.id) != cell)
            return false;
        if (retire) {
            ChildPhase now = cell.phase();
            if (now != ChildPhase.RETIRED && !cell.lifecycle.move(now, ChildPhase.RETIRED))
                return false;
            cell.retiredAt = ctx.clock.getAsLong();
        }
        else if (!cells.remove(cell.id, cell))
            return false;
        countStopped(cell);
        return true;
    }

    private void countStopped(ChildCell cell) {
        if (cell.startedAt != 0)
            ctx.metrics.childrenStopped.increment();
    }

    // ---------------------------------------------------------------- messages (any thread)

    /**
     * Queues a call or cast for a local child; {@code reply} gets the handler's answer (a cast's is ignored). A full
     * mailbox refuses the message at once ({@link MailboxFullException}), without blocking. A message the child here
     * cannot take is refused: with {@link NotActiveReplicaException} if the child goes on elsewhere (this replica is
     * passive, or moving away), with {@link NoSuchChildException} if it does not run here (the caller's transport
     * decides whether it runs elsewhere) or was stopped.
     */
    public void deliver(String childId, Object message, CompletableFuture<Object> reply) {
        deliver(childId, message, reply, null);
    }

    /**
     * {@link #deliver(String, Object, CompletableFuture)} for a cast that must not overtake earlier ones: it is refused
     * (as not active) if {@code heldBack} says, when its turn comes, that earlier casts for the child wait elsewhere.
     */
    public void deliver(String childId, Object message, CompletableFuture<Object> reply, BooleanSupplier heldBack) {
        ChildCell cell = cells.get(childId);
        if (cell == null || cell.phase() == ChildPhase.RETIRED) {
            reply.completeExceptionally(new NoSuchChildException(
                "child " + childId + " of hub " + ctx.hubId + " does not run on " + ctx.localName));
            return;
        }
        Runnable handle = () -> {
            ChildProcess instance = cell.instance;
            if (instance == null) {
                reply.completeExceptionally(cell.relocating
                    ? new NotActiveReplicaException("child " + childId + " of hub " + ctx.hubId + " is moving away from " + ctx.localName)
                    : new NoSuchChildException("child " + childId + " of hub " + ctx.hubId + " is no longer running on " + ctx.localName));
                return;
            }
            if (cell.ref.role() == ReplicaRole.PASSIVE || cell.demoting) {
                // Messages go to the active replica only; the sender's registry copy lagged a role change.
                reply.completeExceptionally(new NotActiveReplicaException(
                    "child " + childId + " of hub " + ctx.hubId + " is not active on " + ctx.localName));
                return;
            }
            if (heldBack != null && heldBack.getAsBoolean()) {
                reply.completeExceptionally(new NotActiveReplicaException(
                    "earlier messages for child " + childId + " of hub " + ctx.hubId + " wait on " + ctx.localName));
                return;
            }
            if (message instanceof SequencedCast)
                handleCast(cell, (SequencedCast)message, reply);
            else
                handle(cell, instance, message, reply);
        };
        // A message that came before the child's state is back (forwarded to a just started owner) waits for it.
        boolean queued = cell.offer(() -> {
            if (!cell.holdWhileRestoring(handle))
                handle.run();
        });
        if (!queued) {
            ctx.metrics.mailboxRejections.increment();
            LOG.debug("Child {} of hub {} on {}: mailbox full, message refused", childId, ctx.hubId, ctx.localName);
            reply.completeExceptionally(new MailboxFullException("child " + childId + " of hub " + ctx.hubId + " on "
                + ctx.localName + " has " + ctx.mailboxCapacity + " messages waiting already; the message was refused"));
        }
    }

    /** Runs the handler of a message; a throw is a crash. Mailbox only. */
    private void handle(ChildCell cell, ChildProcess instance, Object message, CompletableFuture<Object> reply) {
        Object answer;
        try {
            answer = instance.handle(message);
        }
        catch (Throwable e) {
            reply.completeExceptionally(new ChildCallException(
                "child " + cell.id + " of hub " + ctx.hubId + " crashed handling the message: " + describe(e)));
            crashed(cell, e);
            return;
        }
        reply.complete(answer);
    }

    /**
     * A numbered cast reached the active instance: handled now if it is its sender's next one (then the held ones it
     * was the gap before), held if an earlier one has not come yet, dropped if it was handled already. Mailbox only.
     */
    private void handleCast(ChildCell cell, SequencedCast cast, CompletableFuture<Object> reply) {
        switch (cell.casts().admit(cast, ctx.clock.getAsLong())) {
            case OLD:
                ctx.metrics.castsDuplicate.increment();
                reply.complete(null);
                acknowledge(cell, cast.sender);
                return;
            case EARLY:
                ctx.metrics.castsHeldForOrder.increment();
                reply.complete(null);
                scheduleGapCheck(cell);
                return;
            default:
                handle(cell, cell.instance, cast.message, reply);
                handleDue(cell, cast.sender);
        }
    }

    /** Handles the sender's held casts that are due now, in order, and acknowledges. Mailbox only. */
    private void handleDue(ChildCell cell, UUID sender) {
        SequencedCast next;
        while (cell.instance != null && cell.phase().isLive() && (next = cell.casts().nextDue(sender)) != null)
            handle(cell, cell.instance, next.message, new CompletableFuture<>());
        acknowledge(cell, sender);
    }

    private void acknowledge(ChildCell cell, UUID sender) {
        long[] at = cell.casts().position(sender);
        if (at != null)
            receipts.handled(cell.id, sender, at[0], at[1]);
    }

    /** Looks at the child's held casts once the oldest has waited its time, unless a look is due already. Mailbox only. */
    private void scheduleGapCheck(ChildCell cell) {
        if (cell.gapCheckDue)
            return;
        cell.gapCheckDue = true;
        long wait = Math.max(1, cell.casts().oldestWaiting() + CastOrder.HOLD_MILLIS - ctx.clock.getAsLong());
        CompletableFuture.delayedExecutor(wait, TimeUnit.MILLISECONDS, cell::enqueue).execute(() -> checkGaps(cell));
    }

    /** Gives up the gaps held casts waited for too long (their senders did not send the missing ones again). Mailbox only. */
    private void checkGaps(ChildCell cell) {
        cell.gapCheckDue = false;
        if (cell.instance == null || !cell.phase().isLive())
            return; // stopped, or moved on with its casts
        long[] skipped = new long[1];
        for (UUID sender : cell.casts().giveUpGaps(ctx.clock.getAsLong(), skipped))
            handleDue(cell, sender);
        if (skipped[0] > 0) {
            ctx.metrics.castsSkipped.add(skipped[0]);
            LOG.debug("Child {} of hub {} on {}: {} casts never came; the casts held behind them are handled", cell.id,
                ctx.hubId, ctx.localName, skipped[0]);
        }
        if (cell.casts().oldestWaiting() != 0)
            scheduleGapCheck(cell);
    }

    /** Whether a message delivered now would be handled by an active instance here (a cast held elsewhere may come). */
    public boolean takesMessages(String childId) {
        ChildCell cell = cells.get(childId);
        ChildRef ref = cell == null ? null : cell.ref;
        return cell != null && cell.phase() == ChildPhase.RUNNING && ref != null && ref.role() == ReplicaRole.ACTIVE
            && !cell.demoting;
    }

    // ---------------------------------------------------------------- failures (mailbox)

    /** The child crashed: restart it in place, or give it up. Mailbox only. */
    void crashed(ChildCell cell, Throwable cause) {
        ChildPhase phase = cell.phase();
        if (cell.instance == null || !phase.isLive())
            return;
        LOG.warn("Child {} of hub {} crashed", cell.id, ctx.hubId, cause);
        ctx.metrics.childCrashes.increment();
        if (phase == ChildPhase.STOPPING) {
            died(cell); // its stop is queued: no restart
            return;
        }
        if (cell.spec.restart() == RestartPolicy.TEMPORARY) {
            died(cell);
            ctx.loop.execute(() -> retire(cell, "TEMPORARY child crashed"));
            return;
        }
        restart(cell);
    }

    /** The child asked to stop. Mailbox only. */
    void exited(ChildCell cell) {
        ChildPhase phase = cell.phase();
        if (cell.instance == null || !phase.isLive())
            return;
        stopInstance(cell, StopReason.EXIT);
        if (phase != ChildPhase.STOPPING && cell.spec.restart() == RestartPolicy.PERMANENT) {
            restart(cell);
            return;
        }
        died(cell);
        if (phase != ChildPhase.STOPPING)
            ctx.loop.execute(() -> retire(cell, "exited"));
    }

    /** Creates the next incarnation in place, or gives the child up beyond the restart intensity. Mailbox only. */
    private void restart(ChildCell cell) {
        cell.instance = null;
        while (true) {
            if (!cell.allowRestart(ctx.clock.getAsLong(), ctx.maxRestarts, ctx.restartWindowMillis)) {
                died(cell);
                LOG.error("Child {} of hub {} restarted {} times within {} ms: giving up and unregistering it",
                    cell.id, ctx.hubId, ctx.maxRestarts, ctx.restartWindowMillis);
                ctx.metrics.childrenGivenUp.increment();
                ctx.loop.execute(() -> retire(cell, "restart intensity exceeded"));
                return;
            }
            ChildRef previous = cell.ref;
            try {
                launch(cell, previous.incarnation() + 1, previous.role());
                ctx.metrics.childRestarts.increment();
                ChildRef ref = cell.ref;
                ctx.hooks.fire(Hook.CHILD_PID_UPDATED,
                    () -> new PidUpdatedEvent(Hook.CHILD_PID_UPDATED, ctx.hubId, ctx.localName, previous, ref));
                ctx.loop.execute(() -> reregister(cell, ref));
                return;
            }
            catch (Throwable e) {
                cell.instance = null;
                LOG.warn("Restart of child {} of hub {} failed", cell.id, ctx.hubId, e);
            }
        }
    }

    private void reregister(ChildCell cell, ChildRef ref) {
        if (cells.get(cell.id) != cell || cell.ref != ref || !cell.phase().isLive())
            return;
        records.reregistered(ref);
    }

    /** Removes a DEAD child that will not run again from this node and from the records, leaving a tombstone. Loop only. */
    private void retire(ChildCell cell, String why) {
        if (cell.phase() != ChildPhase.DEAD || !release(cell, true))
            return;
        LOG.info("Child {} of hub {} unregistered: {}", cell.id, ctx.hubId, why);
        records.unregistered(List.of(cell.id), true);
        if (checkpoints.enabled())
            checkpoints.delete(List.of(cell.id));
    }

    // ---------------------------------------------------------------- roles and handover

    /** Gives a running replica a new role: tells the child, re-registers it. Any thread (see below). */
    public CompletableFuture<RoleChange> changeRole(String childId, ReplicaRole role) {
        return changeRole(childId, role, false);
    }

    /**
     * Gives a running replica a new role: tells the child, re-registers it. Completes (on the child's mailbox) with
     * the change, or null if the replica did not change (gone, in that role already, or another change was asked
     * while a promotion read its checkpoint). With {@code takeState}, a StatefulChild's {@code handoverState()} is
     * taken in the same mailbox turn, before the child hears of its new role, so no message is handled between the
     * snapshot and the change. With checkpoints, a promotion first restores the child's last checkpoint where it is
     * newer than what the replica holds (see {@link #promote}). Any thread: the change happens in the mailbox, in
     * order with the child's other tasks, and the cell's role bookkeeping is taken under its lock (the reconciler's
     * fast path of a role release calls this from the thread the release arrived on).
     */
    public CompletableFuture<RoleChange> changeRole(String childId, ReplicaRole role, boolean takeState) {
        ChildCell cell = cells.get(childId);
        if (cell == null)
            return CompletableFuture.completedFuture(null);
        CompletableFuture<RoleChange> done = new CompletableFuture<>();
        int request;
        boolean readsCheckpoint = role == ReplicaRole.ACTIVE && checkpoints.enabled();
        synchronized (cell) {
            if (role == ReplicaRole.ACTIVE && cell.promoting != null)
                return cell.promoting; // a promotion reading its checkpoint: the same one
            request = ++cell.roleRequests;
            cell.promoting = readsCheckpoint ? done : null;
        }
        if (readsCheckpoint) {
            done.whenComplete((c, e) -> {
                synchronized (cell) {
                    if (cell.promoting == done)
                        cell.promoting = null;
                }
            });
            cell.enqueue(() -> promote(cell, request, done));
        }
        else
            cell.enqueue(() -> applyRole(cell, role, takeState, done));
        return done;
    }

    /** The role change itself, in one mailbox turn. Mailbox only. */
    private void applyRole(ChildCell cell, ReplicaRole role, boolean takeState, CompletableFuture<RoleChange> done) {
        ChildRef previous = cell.ref;
        if (cell.instance == null || !cell.phase().isLive() || previous.role() == role || cell.demoting) {
            done.complete(null);
            return;
        }
        Object state = takeState ? stateOf(cell) : null;
        if (role == ReplicaRole.PASSIVE && !takeState && checkpoints(cell)) {
            // Demoted without handing its state over (ColdSwap): it leaves it as a last checkpoint, which the replica
            // promoted next reads. Until that is stored (bounded) it takes no message and still shows as active, so
            // neither the registry nor the new first owner hear of the demotion before the checkpoint is there.
            cell.demoting = true;
            lastCheckpointStored(cell).whenComplete((ok, err) -> cell.enqueue(() -> {
                cell.demoting = false;
                if (cell.instance == null || !cell.phase().isLive() || cell.ref.role() == role)
                    done.complete(null);
                else
                    changeRoleNow(cell, role, null, done);
            }));
            return;
        }
        changeRoleNow(cell, role, state, done);
    }

    /** Gives the replica its new role, tells the child and the hooks, re-registers it. Mailbox only. */
    private void changeRoleNow(ChildCell cell, ReplicaRole role, Object state, CompletableFuture<RoleChange> done) {
        ChildRef previous = cell.ref;
        ChildRef next = previous.withRole(role);
        cell.ref = next;
        if (cell.instance instanceof ReplicaAware && placement.signals(role)) {
            try {
                ((ReplicaAware)cell.instance).onRoleChange(role);
            }
            catch (Throwable e) {
                LOG.warn("Child {} of hub {} threw from onRoleChange({})", cell.id, ctx.hubId, role, e);
            }
        }
        ctx.hooks.fire(Hook.REPLICA_ROLE_CHANGED, () -> new RoleChangedEvent(Hook.REPLICA_ROLE_CHANGED, ctx.hubId,
            ctx.localName, next, previous.role()));
        if (checkpoints.enabled()) {
            CellCheckpoint cp = cell.checkpoint();
            if (role == ReplicaRole.ACTIVE)
                cp.epoch = 0; // the active one now: its next checkpoint claims the child anew
            else
                cp.liveState = false; // another replica takes over and may checkpoint newer states than this one holds
        }
        ctx.loop.execute(() -> reregister(cell, next));
        done.complete(new RoleChange(previous, state));
    }

    /**
     * The state a StatefulChild hands over, with where its senders' casts stand ({@link HandedState}), or null.
     * Mailbox only.
     */
    private Object stateOf(ChildCell cell) {
        if (!(cell.instance instanceof StatefulChild))
            return null;
        try {
            Object state = ((StatefulChild<?>)cell.instance).handoverState();
            return new HandedState(state, cell.casts == null || cell.casts.isEmpty() ? null : cell.casts.copy());
        }
        catch (Throwable e) {
            LOG.warn("Child {} of hub {} threw from handoverState(); its state is not handed over", cell.id, ctx.hubId, e);
            return null;
        }
    }

    /**
     * Takes the state of a child that moves away (if it hands state over) and stops it, in one mailbox turn so
     * no message is handled after the snapshot. Completes with the state, or null. Loop only.
     */
    public CompletableFuture<Object> snapshotAndStop(String childId, boolean handover) {
        ChildCell cell = cells.get(childId);
        if (cell == null || cell.phase() == ChildPhase.RETIRED)
            return CompletableFuture.completedFuture(null);
        CompletableFuture<Object> state = new CompletableFuture<>();
        cell.relocating = true;
        if (cell.phase() == ChildPhase.RUNNING)
            cell.lifecycle.move(ChildPhase.RUNNING, ChildPhase.MOVING_OUT);
        cell.enqueue(() -> {
            Object snapshot = handover ? stateOf(cell) : null;
            stopInstance(cell, StopReason.MIGRATED);
            died(cell);
            state.complete(snapshot);
        });
        return state;
    }

    /** Forgets a child that moved away (stopped by {@link #snapshotAndStop}) and removes its replica record. Loop only. */
    public void forgetMoved(String childId) {
        ChildCell cell = cells.get(childId);
        if (cell != null && cell.phase() == ChildPhase.DEAD && release(cell, false))
            records.unregistered(List.of(childId), false);
    }

    /**
     * Gives a child on this node the state of its previous instance: now if it runs, at its start otherwise.
     * Loop only, so it is ordered with the creation of cells.
     */
    public void restore(String childId, Object state, String from) {
        PendingStates.Pending pending = new PendingStates.Pending(state, from, ctx.clock.getAsLong());
        ChildCell cell = cells.get(childId);
        if (cell == null || cell.phase() == ChildPhase.RETIRED)
            pendingStates.put(childId, pending);
        else
            cell.enqueue(() -> restoreInMailbox(cell, pending));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void restoreInMailbox(ChildCell cell, PendingStates.Pending pending) {
        ChildProcess instance = cell.instance;
        if (instance == null || !cell.phase().isLive())
            return;
        Object state = pending.state;
        if (state instanceof HandedState) {
            HandedState handed = (HandedState)state;
            if (handed.casts != null) {
                cell.casts().merge(handed.casts);
                if (cell.casts().oldestWaiting() != 0)
                    scheduleGapCheck(cell);
            }
            state = handed.state;
        }
        if (!(instance instanceof StatefulChild) || state == null)
            return;
        try {
            ((StatefulChild)instance).restoreState(state);
        }
        catch (Throwable e) {
            LOG.warn("Child {} of hub {} threw from restoreState()", cell.id, ctx.hubId, e);
            return;
        }
        ctx.metrics.handoversIn.increment();
        if (checkpoints.enabled())
            cell.checkpoint().liveState = true; // a checkpoint read at its start must not overwrite it
        ChildRef ref = cell.ref;
        ctx.hooks.fire(Hook.HANDOVER_COMPLETED,
            () -> new HandoverEvent(Hook.HANDOVER_COMPLETED, ctx.hubId, ctx.localName, ref, pending.from));
    }

    /** Drops handed-over states no child claimed in time. Loop only. */
    public void purgePendingStates() {
        pendingStates.purge(ctx.clock.getAsLong());
    }

    // ---------------------------------------------------------------- checkpoints

    /** How long a start batch's registration waits for its checkpoints to be read before it goes on without them. */
    static final long READ_WAIT_MILLIS = 10_000;

    /**
     * Reads the checkpoints of the started children that are active and stateful (one batched read, local where the
     * ring placed them) and restores them where no live state was handed over, then runs {@code next} on the loop:
     * before the children are registered. A message that reaches one before that anyway (forwarded by the node it
     * moved from) waits in its cell until its state is back. Loop only.
     */
    private void restoreStarted(List<ChildCell> starting, ChildError[] failures, Runnable next) {
        if (!checkpoints.enabled()) {
            next.run();
            return;
        }
        List<ChildCell> restoring = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < starting.size(); i++) {
            ChildCell cell = starting.get(i);
            if (failures[i] == null && checkpoints(cell)) {
                restoring.add(cell);
                ids.add(cell.id);
            }
            else
                cell.enqueue(cell::restored); // nothing to restore: messages held meanwhile go on
        }
        if (restoring.isEmpty()) {
            next.run();
            return;
        }
        CompletableFuture<Void> applied = new CompletableFuture<>();
        applied.completeOnTimeout(null, READ_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        applied.whenComplete((ok, err) -> {
            // Restored, or going on without: the messages held for a child are handled once it is (no-op if done).
            for (ChildCell cell : restoring)
                cell.enqueue(cell::restored);
            ctx.loop.execute(next);
        });
        checkpoints.read(ids).whenComplete((states, err) -> {
            if (err != null) {
                LOG.warn("Hub {} on {}: the checkpoints of {} children could not be read; they start without them",
                    ctx.hubId, ctx.localName, ids.size(), err);
                applied.complete(null);
                return;
            }
            if (states.isEmpty()) {
                applied.complete(null);
                return;
            }
            AtomicInteger left = new AtomicInteger(restoring.size());
            for (ChildCell cell : restoring)
                cell.enqueue(() -> {
                    // Once registered (the read took too long) messages may have changed the state: leave it.
                    if (!applied.isDone()) {
                        StoredCheckpoint stored = states.get(cell.id);
                        if (stored != null && restoreCheckpoint(cell, stored))
                            fenceOlderInstances(cell);
                        cell.restored();
                    }
                    if (left.decrementAndGet() == 0)
                        applied.complete(null);
                });
        });
    }

    /** Whether the cell's instance checkpoints: a stateful, live, active instance on a hub with checkpoints. */
    private boolean checkpoints(ChildCell cell) {
        ChildRef ref = cell.ref;
        return checkpoints.enabled() && cell.instance instanceof StatefulChild && cell.phase().isLive()
            && ref != null && ref.role() == ReplicaRole.ACTIVE;
    }

    /**
     * Gives an instance the child's last checkpoint, unless its state is at least as new: a live state was handed to
     * it, or its state includes that checkpoint already (it wrote it, or restored it before). Mailbox only.
     *
     * @return whether it restored the checkpoint
     */
    private boolean restoreCheckpoint(ChildCell cell, StoredCheckpoint stored) {
        CellCheckpoint cp = cell.checkpoint();
        if (cp.liveState || stored.version.compareTo(cp.base) <= 0)
            return false;
        return restore(cell, stored);
    }

    /**
     * Replaces an instance's state with a stored checkpoint newer than it. One this node cannot read (logged by the
     * store) counts as included all the same: the instance goes on without it. Mailbox only.
     *
     * @return whether it restored the checkpoint
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private boolean restore(ChildCell cell, StoredCheckpoint stored) {
        ChildProcess instance = cell.instance;
        if (!(instance instanceof StatefulChild) || !cell.phase().isLive())
            return false;
        cell.checkpoint().base = stored.version;
        if (stored.state == null)
            return false;
        try {
            ((StatefulChild)instance).restoreState(stored.state);
            ctx.metrics.checkpointsRestored.increment();
            LOG.debug("Child {} of hub {} restored its checkpoint on {}", cell.id, ctx.hubId, ctx.localName);
            return true;
        }
        catch (Throwable e) {
            LOG.warn("Child {} of hub {} threw from restoreState() with its checkpoint", cell.id, ctx.hubId, e);
            return false;
        }
    }

    /** A promotion that waits for its child's checkpoint. */
    private static final class PromotionRead {
        final ChildCell cell;
        final int request;
        final CompletableFuture<RoleChange> done;

        PromotionRead(ChildCell cell, int request, CompletableFuture<RoleChange> done) {
            this.cell = cell;
            this.request = request;
            this.done = done;
        }
    }

    /** Promotions waiting for the next batched read. */
    private final ConcurrentLinkedQueue<PromotionRead> promotionReads = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean promotionReadQueued = new AtomicBoolean();

    /**
     * First turn of a promotion: a stateful replica that holds no handed-over state reads the child's last checkpoint
     * before it becomes active (it stays passive meanwhile, so no message reaches it before its state is back). The
     * reads of the promotions of one moment go together, one batched read. Others are promoted at once. Mailbox only.
     */
    private void promote(ChildCell cell, int request, CompletableFuture<RoleChange> done) {
        if (cell.roleRequests != request) {
            done.complete(null); // another change was asked since
            return;
        }
        ChildRef ref = cell.ref;
        boolean reads = cell.instance instanceof StatefulChild && cell.phase().isLive() && ref != null
            && ref.role() != ReplicaRole.ACTIVE && !cell.checkpoint().liveState;
        if (!reads) {
            applyRole(cell, ReplicaRole.ACTIVE, false, done);
            return;
        }
        promotionReads.add(new PromotionRead(cell, request, done));
        if (promotionReadQueued.compareAndSet(false, true))
            ctx.loop.execute(this::readForPromotions);
    }

    /** Reads the checkpoints of the promotions queued so far with one read; each goes on in its mailbox. Loop only. */
    private void readForPromotions() {
        promotionReadQueued.set(false); // before draining: a promotion queued meanwhile is drained now or by the next task
        List<PromotionRead> batch = new ArrayList<>();
        for (PromotionRead p = promotionReads.poll(); p != null; p = promotionReads.poll())
            batch.add(p);
        if (batch.isEmpty())
            return;
        List<String> ids = new ArrayList<>(batch.size());
        for (PromotionRead p : batch)
            ids.add(p.cell.id);
        checkpoints.read(ids).copy().orTimeout(READ_WAIT_MILLIS, TimeUnit.MILLISECONDS).whenComplete((states, err) -> {
            if (err != null)
                LOG.warn("Hub {} on {}: the checkpoints of {} promoted replicas could not be read; they go on with what they hold",
                    ctx.hubId, ctx.localName, ids.size(), err);
            for (PromotionRead p : batch) {
                StoredCheckpoint stored = err == null ? states.get(p.cell.id) : null;
                p.cell.enqueue(() -> {
                    if (p.cell.roleRequests != p.request) {
                        p.done.complete(null);
                        return;
                    }
                    if (stored != null)
                        restoreCheckpoint(p.cell, stored); // a handover that arrived meanwhile wins (liveState)
                    applyRole(p.cell, ReplicaRole.ACTIVE, false, p.done);
                });
            }
        });
    }

    /**
     * An instance that restored a checkpoint claims the child at once, with the state it restored: the instance it
     * replaces may still live (a node frozen beyond the failure detection timeout runs on until it learns it was
     * dropped), and its checkpoints, refused from the claim on, would otherwise go above the state restored here.
     * Mailbox only.
     */
    private void fenceOlderInstances(ChildCell cell) {
        takeCheckpoint(cell, new CompletableFuture<>(), false);
    }

    /** {@code ctx.checkpoint()}: the state is taken on the child's mailbox. Any thread. */
    CompletableFuture<Void> checkpoint(ChildCell cell) {
        if (!checkpoints.enabled())
            return CompletableFuture.failedFuture(new IllegalStateException("hub " + ctx.hubId + " keeps no checkpoints "
                + "(HubConfiguration.checkpoints.enabled is false)"));
        CompletableFuture<Void> done = new CompletableFuture<>();
        cell.enqueue(() -> takeCheckpoint(cell, done, false));
        return done;
    }

    /** Every active stateful child here takes a checkpoint (the hub's checkpoint interval). Any thread. */
    public void checkpointAll() {
        for (ChildCell cell : cells.values())
            if (cell.phase() == ChildPhase.RUNNING && checkpoints(cell))
                cell.enqueue(() -> takeCheckpoint(cell, new CompletableFuture<>(), true));
    }

    /**
     * Takes the state and hands it to the store. The first checkpoint of an active instance claims the child (a new
     * epoch); checkpoints asked for until it answers wait for it (a periodic one is skipped). Mailbox only.
     */
    private void takeCheckpoint(ChildCell cell, CompletableFuture<Void> done, boolean periodic) {
        ChildProcess instance = cell.instance;
        ChildRef ref = cell.ref;
        if (!(instance instanceof StatefulChild) || !cell.phase().isLive()) {
            done.completeExceptionally(new IllegalStateException("child " + cell.id + " of hub " + ctx.hubId
                + (instance == null ? " is not running" : " is not a StatefulChild") + " on " + ctx.localName));
            return;
        }
        if (ref == null || ref.role() != ReplicaRole.ACTIVE) {
            done.completeExceptionally(new NotActiveReplicaException("child " + cell.id + " of hub " + ctx.hubId
                + " is not active on " + ctx.localName + ": only the active replica checkpoints"));
            return;
        }
        if (cell.restoring) {
            // Its checkpoint is being read: a state taken now is older than the one about to be restored, and its
            // claim would be refused (or, restored meanwhile, make it restore twice). It goes once the restore is done.
            if (periodic)
                done.complete(null);
            else
                cell.holdWhileRestoring(() -> takeCheckpoint(cell, done, false));
            return;
        }
        CellCheckpoint cp = cell.checkpoint();
        if (cp.claim != null) {
            if (periodic)
                done.complete(null); // skipped: the first checkpoint, sent just now, is on its way
            else
                cp.await(done);
            return;
        }
        Object state;
        try {
            state = ((StatefulChild<?>)instance).handoverState();
        }
        catch (Throwable e) {
            LOG.warn("Child {} of hub {} threw from handoverState(); no checkpoint taken", cell.id, ctx.hubId, e);
            done.completeExceptionally(e);
            return;
        }
        if (cp.epoch == 0) {
            claim(cell, state).whenComplete((epoch, err) -> complete(done, err));
            return;
        }
        checkpoints.write(cell.id, cp.epoch, ++cp.seq, state).whenComplete((written, err) -> complete(done, err));
    }

    private static void complete(CompletableFuture<Void> done, Throwable err) {
        if (err == null)
            done.complete(null);
        else
            done.completeExceptionally(unwrap(err));
    }

    private static Throwable unwrap(Throwable err) {
        return err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
    }

    /**
     * Sends the instance's claim of the child with its state, the first checkpoint of the epoch it claims; its
     * checkpoints asked for meanwhile wait for the answer ({@link #claimed}). Mailbox only.
     */
    private CompletableFuture<Long> claim(ChildCell cell, Object state) {
        CellCheckpoint cp = cell.checkpoint();
        cp.seq = 1;
        CompletableFuture<Long> claim = checkpoints.claim(cell.id, cp.claimBase(), state);
        cp.claim = claim;
        claim.whenComplete((epoch, err) -> cell.enqueue(() -> claimed(cell, epoch, unwrap(err))));
        return claim;
    }

    /**
     * {@link #lastCheckpoint}, completing (normally) once it is stored, refused or failed, or after
     * {@link #LAST_CHECKPOINT_WAIT_MILLIS}. Mailbox only.
     */
    private CompletableFuture<Void> lastCheckpointStored(ChildCell cell) {
        return lastCheckpoint(cell).<Void>handle((epoch, err) -> {
            if (err != null)
                LOG.debug("Child {} of hub {}: its last checkpoint was not stored", cell.id, ctx.hubId, err);
            return null;
        }).completeOnTimeout(null, LAST_CHECKPOINT_WAIT_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * The last checkpoint of an instance that stops or is demoted now: its state, written under its epoch, claiming one
     * if it has none yet, or written as soon as its claim under way is answered. Mailbox only.
     */
    private CompletableFuture<Long> lastCheckpoint(ChildCell cell) {
        Object state;
        try {
            state = ((StatefulChild<?>)cell.instance).handoverState();
        }
        catch (Throwable e) {
            LOG.warn("Child {} of hub {} threw from handoverState(); no last checkpoint taken", cell.id, ctx.hubId, e);
            return CompletableFuture.failedFuture(e);
        }
        CellCheckpoint cp = cell.checkpoint();
        if (cp.claim != null) {
            // Its own claim's checkpoint is not in its base: a second claim would be refused. It goes right after.
            long seq = ++cp.seq;
            return cp.claim.thenCompose(epoch -> checkpoints.write(cell.id, epoch, seq, state));
        }
        if (cp.epoch == 0)
            return claim(cell, state);
        return checkpoints.write(cell.id, cp.epoch, ++cp.seq, state);
    }

    /**
     * A claim answered: the instance writes in the epoch it claimed, and the checkpoints that waited go now. Refused,
     * the instance takes the newer checkpoint stored by another instance and fails the checkpoints that waited (their
     * state is gone); its next checkpoint claims again, from the state it took. Not at once: the instance that stored
     * the newer one may be the one that goes on (this one may be a stale copy about to be stopped), and a claim would
     * fence it. Mailbox only.
     */
    private void claimed(ChildCell cell, Long epoch, Throwable err) {
        CellCheckpoint cp = cell.checkpoint();
        cp.claim = null;
        List<CompletableFuture<Void>> waiting = cp.takeWaiting();
        if (err instanceof ClaimRefusedException) {
            for (CompletableFuture<Void> w : waiting)
                w.completeExceptionally(err);
            if (restore(cell, ((ClaimRefusedException)err).stored))
                LOG.info("Child {} of hub {} on {}: another instance stored a newer checkpoint; this one goes on from it",
                    cell.id, ctx.hubId, ctx.localName);
            return;
        }
        if (err == null) {
            cp.epoch = epoch;
            cp.base = CheckpointVersion.allOfEpoch(epoch);
        }
        if (waiting.isEmpty())
            return;
        CompletableFuture<Void> next = new CompletableFuture<>();
        takeCheckpoint(cell, next, false);
        next.whenComplete((ok, failure) -> {
            for (CompletableFuture<Void> w : waiting)
                complete(w, failure);
        });
    }

    public static String describe(Throwable e) {
        return e.getClass().getName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
