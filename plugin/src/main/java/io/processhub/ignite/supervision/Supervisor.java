package io.processhub.ignite.supervision;

import io.processhub.ignite.HubContext;
import io.processhub.ignite.reconcile.Placements;
import io.processhub.ignite.registry.RegistryIndex;
import io.processhub.ignite.registry.RegistryKeys;

import io.processhub.ChildCallException;
import io.processhub.ChildError;
import io.processhub.ChildProcess;
import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import io.processhub.NoSuchChildException;
import io.processhub.ReplicaAware;
import io.processhub.ReplicaRole;
import io.processhub.StatefulChild;
import io.processhub.RestartPolicy;
import io.processhub.StopReason;
import io.processhub.hook.ChildrenEvent;
import io.processhub.hook.HandoverEvent;
import io.processhub.hook.RoleChangedEvent;
import io.processhub.hook.Hook;
import io.processhub.hook.PidUpdatedEvent;
import io.processhub.hook.StartEvent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Runs this node's children of one hub: starts them, delivers their messages, restarts them after a crash
 * within the restart intensity, stops them, and writes their registry entries. The cell map is changed
 * only on the hub loop; instances are touched only from their cell's mailbox.
 */
public final class Supervisor {
    private static final Logger LOG = LogManager.getLogger(Supervisor.class);

    private final HubContext hub;
    private final Placements placements;
    private final ChildFactory factory = new ChildFactory();
    /** States handed over for children that do not run here yet. */
    private final ConcurrentHashMap<String, PendingState> pendingStates = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ChildCell> cells = new ConcurrentHashMap<>();
    /** Ids unregistered by this node whose spec removal it has not seen yet, with when. Changed on the loop only. */
    private final ConcurrentHashMap<String, Long> retiring = new ConcurrentHashMap<>();

    public Supervisor(HubContext hub, Placements placements) {
        this.hub = hub;
        this.placements = placements;
    }

    // ---------------------------------------------------------------- queries (any thread)

    /** A snapshot of the local child with this id (a retired one included), or null if this node has none. */
    public LocalChild local(String childId) {
        ChildCell cell = cells.get(childId);
        if (cell != null)
            return cell.snapshot();
        Long since = retiring.get(childId);
        return since == null ? null : new LocalChild(childId, ChildPhase.RETIRED, null, null, null, 0, 0, since);
    }

    /** When this node retired the child (removed its spec) if the removal has not been seen yet; null otherwise. */
    public Long retiredSince(String childId) {
        return retiring.get(childId);
    }

    /** Snapshots of every child with a cell here (retired ones excluded). */
    public List<LocalChild> localChildren() {
        List<LocalChild> res = new ArrayList<>(cells.size());
        for (ChildCell cell : cells.values())
            res.add(cell.snapshot());
        return res;
    }

    /** Ids of the children with a cell here. */
    public Set<String> localIds() {
        return cells.keySet();
    }

    /** The running children here whose current instance is active and hands state over. */
    public List<String> activeStatefulIds() {
        List<String> res = new ArrayList<>();
        for (ChildCell cell : cells.values())
            if (cell.state == ChildCell.State.RUNNING && cell.ref.role() == ReplicaRole.ACTIVE && cell.instance instanceof StatefulChild)
                res.add(cell.id);
        return res;
    }

    // ---------------------------------------------------------------- retirement (loop)

    /** Remembers that this node removed the child's spec, so it does not start it again until the removal is seen. */
    public void markRetired(String childId) {
        retiring.put(childId, System.currentTimeMillis());
    }

    /** The spec's removal was seen: ends a retirement. Whether there was one. */
    public boolean retirementSeen(String childId) {
        return retiring.remove(childId) != null;
    }

    // ---------------------------------------------------------------- start (loop)

    /**
     * Starts children on this node and registers them; {@code onDone} runs on the loop once the registry
     * has acknowledged the entries.
     */
    public void start(List<StartItem> items, boolean checkExisting, Consumer<BatchResult> batchDone) {
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
            ChildCell running = cells.get(spec.id());
            if (running != null && placements.copies() > 1 && running.requested.equals(spec) && running.state != ChildCell.State.DEAD) {
                // A sibling replica's registration reached this owner first and its reconciler started this
                // replica already: the request is fulfilled (once that start is done), not refused.
                joined.add(awaitStarted(running, item.replica));
                continue;
            }
            if (running != null) {
                result.error(new ChildError(spec.id(), hub.localName, ChildError.Reason.ALREADY_STARTED,
                    "already running on " + hub.localName, running.ref), item.replica);
                continue;
            }
            if (retiring.containsKey(spec.id())) {
                result.error(new ChildError(spec.id(), hub.localName, ChildError.Reason.START_FAILED,
                    "a child with this id is being stopped; start it again once it is gone"), item.replica);
                continue;
            }
            // With one copy, a live replica anywhere else means the id is taken; with several, the others are siblings.
            ChildRef elsewhere = checkExisting && placements.copies() == 1 ? liveRefElsewhere(spec.id()) : null;
            if (elsewhere != null) {
                result.error(new ChildError(spec.id(), hub.localName, ChildError.Reason.ALREADY_STARTED,
                    "already running on " + elsewhere.node(), elsewhere), item.replica);
                continue;
            }
            ChildCell cell = new ChildCell(spec, hub.childPool);
            cell.initialRole = placements.roleFor(spec.id(), placements.owners(spec.id()));
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
        hub.hooks.fire(Hook.PRE_CHILDREN_START,
            () -> new ChildrenEvent(Hook.PRE_CHILDREN_START, hub.hubId, hub.localName, startingSpecs, hub.localName));
        ChildError[] failures = new ChildError[starting.size()];
        AtomicInteger remaining = new AtomicInteger(starting.size());
        for (int i = 0; i < starting.size(); i++) {
            ChildCell cell = starting.get(i);
            int idx = i;
            cell.enqueue(() -> {
                failures[idx] = firstStart(cell);
                if (remaining.decrementAndGet() == 0)
                    hub.loop.execute(() -> register(starting, replicas, failures, result, onDone));
            });
        }
    }

    /** Completes, after the cell's own start, with how to record that start in a batch result. */
    private CompletableFuture<Consumer<BatchResult>> awaitStarted(ChildCell cell, int replica) {
        CompletableFuture<Consumer<BatchResult>> recorded = new CompletableFuture<>();
        cell.enqueue(() -> {
            ChildRef ref = cell.ref;
            if (cell.state == ChildCell.State.RUNNING && ref != null)
                recorded.complete(r -> r.started(ref, replica));
            else
                recorded.complete(r -> r.error(new ChildError(cell.id, hub.localName, ChildError.Reason.START_FAILED,
                    "the replica failed to start on " + hub.localName), replica));
        });
        return recorded;
    }

    private void afterJoined(List<CompletableFuture<Consumer<BatchResult>>> joined, BatchResult result, Consumer<BatchResult> done) {
        CompletableFuture.allOf(joined.toArray(new CompletableFuture[0])).thenRun(() -> hub.loop.execute(() -> {
            for (CompletableFuture<Consumer<BatchResult>> f : joined)
                f.join().accept(result);
            done.accept(result);
        }));
    }

    /** A ref of this child on another live node, from the local registry copy. */
    public ChildRef liveRefElsewhere(String childId) {
        RegistryIndex.Entry e = hub.index.get(childId);
        if (e == null)
            return null;
        for (ChildRef r : e.refs)
            if (!r.nodeId().equals(hub.localNodeId) && hub.isAlive(r.nodeId()))
                return r;
        return null;
    }

    private ChildError firstStart(ChildCell cell) {
        try {
            cell.spec = hub.hooks.alter(cell.spec);
            launch(cell, 1, cell.initialRole);
            hub.metrics.childrenStarted.increment();
            PendingState pending = pendingStates.remove(cell.id);
            if (pending != null)
                restoreInMailbox(cell, pending);
            return null;
        }
        catch (ChildFactory.InvalidSpecException e) {
            cell.state = ChildCell.State.DEAD;
            hub.metrics.childStartFailures.increment();
            return new ChildError(cell.id, hub.localName, ChildError.Reason.INVALID_SPEC, e.getMessage());
        }
        catch (Throwable e) {
            cell.state = ChildCell.State.DEAD;
            hub.metrics.childStartFailures.increment();
            LOG.warn("Child {} of hub {} failed to start", cell.id, hub.hubId, e);
            return new ChildError(cell.id, hub.localName, ChildError.Reason.START_FAILED, describe(e));
        }
    }

    /** Creates and starts an instance with the given incarnation and role, and tells it its role. Mailbox only. */
    private void launch(ChildCell cell, long incarnation, ReplicaRole role) throws Throwable {
        ChildProcess instance = factory.create(cell.spec);
        ChildRef ref = new ChildRef(hub.hubId, cell.id, hub.localName, hub.localNodeId, incarnation, role);
        cell.instance = instance;
        cell.ref = ref;
        instance.start(new ChildContextImpl(hub, this, cell, ref));
        cell.state = ChildCell.State.RUNNING;
        if (instance instanceof ReplicaAware && placements.signals(role))
            ((ReplicaAware)instance).onRoleChange(role);
        cell.startedAt = System.currentTimeMillis(); // last: a launch that threw has not started the child
    }

    private void register(List<ChildCell> starting, List<Integer> replicas, ChildError[] failures, BatchResult result,
        Consumer<BatchResult> onDone) {
        Map<String, Object> puts = new HashMap<>();
        List<ChildCell> started = new ArrayList<>();
        List<Integer> startedReplicas = new ArrayList<>();
        for (int i = 0; i < starting.size(); i++) {
            ChildCell cell = starting.get(i);
            if (failures[i] != null) {
                removeCell(cell);
                result.error(failures[i], replicas.get(i));
            }
            else if (cells.get(cell.id) != cell || cell.state != ChildCell.State.RUNNING)
                result.started(cell.ref, replicas.get(i)); // stopped again while starting: nothing to register
            else {
                started.add(cell);
                startedReplicas.add(replicas.get(i));
                puts.put(cell.id, cell.spec);
                puts.put(RegistryKeys.replicaKey(cell.id, hub.localNodeId), cell.ref);
            }
        }
        List<ChildRef> refs = new ArrayList<>(started.size());
        for (ChildCell cell : started)
            refs.add(cell.ref);
        hub.hooks.fire(Hook.POST_CHILDREN_START,
            () -> new StartEvent(Hook.POST_CHILDREN_START, hub.hubId, hub.localName, refs, result.errors));
        if (started.isEmpty()) {
            onDone.accept(result);
            return;
        }
        hub.registry.write(puts, List.of()).whenComplete((ok, err) -> hub.loop.execute(() -> {
            if (err != null)
                LOG.warn("Registering {} children of hub {} failed; the next sync repairs it", started.size(), hub.hubId, err);
            long now = System.currentTimeMillis();
            for (ChildCell cell : started) {
                cell.registeredAt = now;
                cell.registered = true; // from now on the reconciler re-puts whatever the registry lacks
            }
            for (int i = 0; i < refs.size(); i++)
                result.started(refs.get(i), startedReplicas.get(i));
            hub.hooks.fire(Hook.PROCESS_STARTUPS,
                () -> new StartEvent(Hook.PROCESS_STARTUPS, hub.hubId, hub.localName, refs, List.of()));
            onDone.accept(result);
        }));
    }

    // ---------------------------------------------------------------- stop (loop)

    /**
     * Stops local children and removes their replica entries (and their spec entries too when
     * {@code unregister}); {@code onDone} gets the ids stopped, on the loop, after the registry acknowledged.
     */
    public void stop(Collection<String> ids, StopReason reason, boolean unregister, Consumer<List<String>> onDone) {
        List<ChildCell> toStop = new ArrayList<>(ids.size());
        for (String id : ids) {
            ChildCell cell = cells.get(id);
            if (cell != null)
                toStop.add(cell);
        }
        if (toStop.isEmpty()) {
            onDone.accept(List.of());
            return;
        }
        AtomicInteger remaining = new AtomicInteger(toStop.size());
        List<ChildCell> stopping = new ArrayList<>(toStop);
        for (ChildCell cell : stopping) {
            cell.enqueue(() -> {
                stopInstance(cell, reason);
                if (remaining.decrementAndGet() == 0)
                    hub.loop.execute(() -> unregister(stopping, unregister, onDone));
            });
        }
    }

    private void stopInstance(ChildCell cell, StopReason reason) {
        ChildCell.State was = cell.state;
        cell.state = ChildCell.State.DEAD;
        if (was != ChildCell.State.RUNNING)
            return;
        if (reason == StopReason.MIGRATED)
            hub.metrics.childrenMovedOut.increment(); // here, once per instance, however often a pass decided the move
        try {
            cell.instance.stop(reason);
        }
        catch (Throwable e) {
            LOG.warn("Child {} of hub {} threw from stop({})", cell.id, hub.hubId, reason, e);
        }
    }

    private void unregister(List<ChildCell> stopped, boolean unregister, Consumer<List<String>> onDone) {
        List<String> removes = new ArrayList<>();
        List<String> ids = new ArrayList<>(stopped.size());
        for (ChildCell cell : stopped) {
            removeCell(cell);
            ids.add(cell.id);
            removes.add(RegistryKeys.replicaKey(cell.id, hub.localNodeId));
            if (unregister) {
                retiring.put(cell.id, System.currentTimeMillis());
                removes.add(cell.id);
            }
        }
        hub.registry.write(Map.of(), removes).whenComplete((ok, err) -> hub.loop.execute(() -> {
            if (err != null)
                LOG.warn("Unregistering {} children of hub {} failed; the next sync repairs it", ids.size(), hub.hubId, err);
            onDone.accept(ids);
        }));
    }

    /** Stops every local child without touching the registry: the node is leaving, or lost quorum. Loop only. */
    public void stopAll(StopReason reason) {
        for (ChildCell cell : cells.values()) {
            if (!cells.remove(cell.id, cell))
                continue;
            // Counted after the stop: a cell still starting has started by then (its start is ahead in the mailbox).
            cell.enqueue(() -> {
                stopInstance(cell, reason);
                countStopped(cell);
            });
        }
    }

    /**
     * Removes a cell from this node's children; a child that had started counts as stopped for good. Every removal
     * but {@link #stopAll} goes through here. Loop only.
     */
    private boolean removeCell(ChildCell cell) {
        if (!cells.remove(cell.id, cell))
            return false;
        countStopped(cell);
        return true;
    }

    private void countStopped(ChildCell cell) {
        if (cell.startedAt != 0)
            hub.metrics.childrenStopped.increment();
    }

    // ---------------------------------------------------------------- messages (any thread)

    /** Queues a message for a local child; {@code reply} (may be null for a cast) gets the handler's answer. */
    public void deliver(String childId, Object message, CompletableFuture<Object> reply) {
        ChildCell cell = cells.get(childId);
        if (cell == null) {
            if (reply != null)
                reply.completeExceptionally(new NoSuchChildException(
                    "child " + childId + " of hub " + hub.hubId + " does not run on " + hub.localName));
            return;
        }
        cell.enqueue(() -> {
            if (cell.state != ChildCell.State.RUNNING) {
                if (reply != null)
                    reply.completeExceptionally(new NoSuchChildException(
                        "child " + childId + " of hub " + hub.hubId + " is no longer running on " + hub.localName));
                return;
            }
            if (reply != null && cell.ref.role() == ReplicaRole.PASSIVE) {
                // Calls go to the active replica only; the caller's registry copy lagged a role change.
                reply.completeExceptionally(new NotActiveReplicaException(
                    "child " + childId + " of hub " + hub.hubId + " is not active on " + hub.localName));
                return;
            }
            Object answer;
            try {
                answer = cell.instance.handle(message);
            }
            catch (Throwable e) {
                if (reply != null)
                    reply.completeExceptionally(new ChildCallException(
                        "child " + childId + " of hub " + hub.hubId + " crashed handling the message: " + describe(e)));
                crashed(cell, e);
                return;
            }
            if (reply != null)
                reply.complete(answer);
        });
    }

    // ---------------------------------------------------------------- failures (mailbox)

    /** The child crashed: restart it in place, or give it up. Mailbox only. */
    public void crashed(ChildCell cell, Throwable cause) {
        if (cell.state != ChildCell.State.RUNNING)
            return;
        LOG.warn("Child {} of hub {} crashed", cell.id, hub.hubId, cause);
        hub.metrics.childCrashes.increment();
        if (cell.spec.restart() == RestartPolicy.TEMPORARY) {
            cell.state = ChildCell.State.DEAD;
            hub.loop.execute(() -> retire(cell, "TEMPORARY child crashed"));
            return;
        }
        restart(cell);
    }

    /** The child asked to stop. Mailbox only. */
    public void exited(ChildCell cell) {
        if (cell.state != ChildCell.State.RUNNING)
            return;
        stopInstance(cell, StopReason.EXIT);
        if (cell.spec.restart() == RestartPolicy.PERMANENT) {
            restart(cell);
            return;
        }
        hub.loop.execute(() -> retire(cell, "exited"));
    }

    private void restart(ChildCell cell) {
        int max = hub.config.getMaxRestarts();
        long window = hub.config.getMaxRestartsWindow();
        while (true) {
            if (!cell.allowRestart(System.currentTimeMillis(), max, window)) {
                cell.state = ChildCell.State.DEAD;
                LOG.error("Child {} of hub {} restarted {} times within {} ms: giving up and unregistering it",
                    cell.id, hub.hubId, max, window);
                hub.metrics.childrenGivenUp.increment();
                hub.loop.execute(() -> retire(cell, "restart intensity exceeded"));
                return;
            }
            ChildRef previous = cell.ref;
            try {
                launch(cell, cell.incarnation() + 1, previous.role());
                hub.metrics.childRestarts.increment();
                ChildRef ref = cell.ref;
                hub.hooks.fire(Hook.CHILD_PID_UPDATED,
                    () -> new PidUpdatedEvent(Hook.CHILD_PID_UPDATED, hub.hubId, hub.localName, previous, ref));
                hub.loop.execute(() -> reregister(cell, ref));
                return;
            }
            catch (Throwable e) {
                cell.state = ChildCell.State.DEAD;
                LOG.warn("Restart of child {} of hub {} failed", cell.id, hub.hubId, e);
            }
        }
    }

    private void reregister(ChildCell cell, ChildRef ref) {
        if (cells.get(cell.id) != cell || cell.ref != ref)
            return;
        hub.registry.write(Map.of(RegistryKeys.replicaKey(cell.id, hub.localNodeId), ref), List.of());
    }

    // ---------------------------------------------------------------- roles and handover

    /** Gives a running replica a new role: tells the child, re-registers it. Loop only. */
    public void changeRole(String childId, ReplicaRole role) {
        ChildCell cell = cells.get(childId);
        if (cell == null)
            return;
        cell.enqueue(() -> {
            ChildRef previous = cell.ref;
            if (cell.state != ChildCell.State.RUNNING || previous.role() == role)
                return;
            ChildRef next = previous.withRole(role);
            cell.ref = next;
            if (cell.instance instanceof ReplicaAware && placements.signals(role)) {
                try {
                    ((ReplicaAware)cell.instance).onRoleChange(role);
                }
                catch (Throwable e) {
                    LOG.warn("Child {} of hub {} threw from onRoleChange({})", cell.id, hub.hubId, role, e);
                }
            }
            hub.hooks.fire(Hook.REPLICA_ROLE_CHANGED, () -> new RoleChangedEvent(Hook.REPLICA_ROLE_CHANGED, hub.hubId,
                hub.localName, next, previous.role()));
            hub.loop.execute(() -> reregister(cell, next));
        });
    }

    /**
     * Takes the state of a child that moves away (if it hands state over) and stops it, in one mailbox turn so
     * no message is handled after the snapshot. Completes with the state, or null. Loop only.
     */
    public CompletableFuture<Object> snapshotAndStop(String childId, boolean handover) {
        ChildCell cell = cells.get(childId);
        if (cell == null)
            return CompletableFuture.completedFuture(null);
        CompletableFuture<Object> state = new CompletableFuture<>();
        cell.movingOut = true;
        cell.enqueue(() -> {
            Object snapshot = null;
            if (handover && cell.state == ChildCell.State.RUNNING && cell.instance instanceof StatefulChild) {
                try {
                    snapshot = ((StatefulChild<?>)cell.instance).handoverState();
                }
                catch (Throwable e) {
                    LOG.warn("Child {} of hub {} threw from handoverState(); it moves without state", cell.id, hub.hubId, e);
                }
            }
            stopInstance(cell, StopReason.MIGRATED);
            state.complete(snapshot);
        });
        return state;
    }

    /** Forgets a child that moved away and removes its replica entry. Loop only. */
    public void forgetMoved(String childId) {
        ChildCell cell = cells.get(childId);
        if (cell != null && removeCell(cell))
            hub.registry.write(Map.of(), List.of(RegistryKeys.replicaKey(cell.id, hub.localNodeId)));
    }

    /**
     * Gives a child on this node the state of its previous instance: now if it runs, at its start otherwise.
     * Loop only, so it is ordered with the creation of cells.
     */
    public void restore(String childId, Object state, String from) {
        PendingState pending = new PendingState(state, from, System.currentTimeMillis());
        ChildCell cell = cells.get(childId);
        if (cell == null)
            pendingStates.put(childId, pending);
        else
            cell.enqueue(() -> restoreInMailbox(cell, pending));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void restoreInMailbox(ChildCell cell, PendingState pending) {
        if (cell.state != ChildCell.State.RUNNING || !(cell.instance instanceof StatefulChild))
            return;
        try {
            ((StatefulChild)cell.instance).restoreState(pending.state);
        }
        catch (Throwable e) {
            LOG.warn("Child {} of hub {} threw from restoreState()", cell.id, hub.hubId, e);
            return;
        }
        hub.metrics.handoversIn.increment();
        ChildRef ref = cell.ref;
        hub.hooks.fire(Hook.HANDOVER_COMPLETED,
            () -> new HandoverEvent(Hook.HANDOVER_COMPLETED, hub.hubId, hub.localName, ref, pending.from));
    }

    /** Drops handed-over states no child claimed within a minute. Loop only. */
    public void purgePendingStates() {
        long oldest = System.currentTimeMillis() - 60_000;
        pendingStates.values().removeIf(p -> p.receivedAt < oldest);
    }

    /** A handed-over state waiting for its child to start here. */
    private static final class PendingState {
        public final Object state;
        public final String from;
        public final long receivedAt;

        public PendingState(Object state, String from, long receivedAt) {
            this.state = state;
            this.from = from;
            this.receivedAt = receivedAt;
        }
    }

    /** Removes a child that will not run again from this node and from the registry. Loop only. */
    private void retire(ChildCell cell, String why) {
        if (!removeCell(cell))
            return;
        LOG.info("Child {} of hub {} unregistered: {}", cell.id, hub.hubId, why);
        retiring.put(cell.id, System.currentTimeMillis());
        hub.registry.write(Map.of(), List.of(cell.id, RegistryKeys.replicaKey(cell.id, hub.localNodeId)));
    }

    public static String describe(Throwable e) {
        return e.getClass().getName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
