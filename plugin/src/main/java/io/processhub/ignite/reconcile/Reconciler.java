package io.processhub.ignite.reconcile;

import io.processhub.ignite.HubContext;
import io.processhub.ignite.membership.Membership;
import io.processhub.ignite.registry.Registry;
import io.processhub.ignite.registry.RegistryIndex;
import io.processhub.ignite.registry.RegistryWriter;
import io.processhub.ignite.registry.ReplicaCheck;
import io.processhub.ignite.supervision.ChildPhase;
import io.processhub.ignite.supervision.LocalChild;
import io.processhub.ignite.supervision.StartItem;
import io.processhub.ignite.supervision.Supervisor;

import io.processhub.ChildError;
import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import io.processhub.ReplicaRole;
import io.processhub.StopReason;
import io.processhub.hook.ChildrenEvent;
import io.processhub.hook.Hook;
import io.processhub.strategy.MigrationStrategy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Level-triggered convergence of this node toward the registry. For each child it compares the desired
 * state (the spec entry, the placement, the replica role) with the actual state (the local cell and the
 * replica entries) and acts: start the replicas this node owns, move away what it no longer owns (ColdSwap:
 * stop first; HotSwap: once the new owner runs it, hand the state over), promote or demote replicas,
 * re-register what runs unregistered, drop entries of replicas that do not run. It runs for the children a
 * registry change touched, and for all of them on a membership change and every sync interval; whatever
 * state it starts from, it converges, which is what makes crashes, lost messages and races boring.
 */
public final class Reconciler {
    private static final Logger LOG = LogManager.getLogger(Reconciler.class);

    private final HubContext hub;
    private final Supervisor supervisor;
    private final Placements placements;
    private final Handover handover;
    private final MigrationStrategy migration;
    /** How long a registry write may take to show in the local copy before it is made again. */
    private static final long RETRY_MILLIS = 2_000;

    private final Set<String> dirty = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final ReplicaCheck replicaCheck;

    /** What one pass decided; executed in batches at its end. */
    private static final class Plan {
        public final List<StartItem> toStart = new ArrayList<>();
        public final List<LocalChild> toMoveAway = new ArrayList<>();
        public final List<LocalChild> toHandOver = new ArrayList<>();
        public final Map<String, ReplicaRole> roleChanges = new LinkedHashMap<>();
        /** Registry writes, by what they mean (see RegistryWriter). */
        public final List<ChildSpec> specsToRepair = new ArrayList<>();
        public final List<ChildRef> refsToRepair = new ArrayList<>();
        public final List<String> staleOwnEntries = new ArrayList<>();
        public final List<String> retiredAgain = new ArrayList<>();
        public final List<ChildRef> entriesOfDeadNodes = new ArrayList<>();

        public int registryWrites() {
            return specsToRepair.size() + refsToRepair.size() + staleOwnEntries.size() + retiredAgain.size()
                + entriesOfDeadNodes.size();
        }
    }

    public Reconciler(HubContext hub, Supervisor supervisor, Placements placements, Handover handover) {
        this.hub = hub;
        this.supervisor = supervisor;
        this.placements = placements;
        this.handover = handover;
        this.migration = hub.config.getMigrationStrategy();
        this.replicaCheck = new ReplicaCheck(hub, this::reconcileAll);
    }

    /** Registry entries of these children changed: look at them soon. Any thread. */
    public void markDirty(Set<String> childIds) {
        dirty.addAll(childIds);
        if (scheduled.compareAndSet(false, true))
            hub.loop.execute(this::reconcileDirty);
    }

    private void reconcileDirty() {
        scheduled.set(false);
        if (!hub.registry.isLoaded())
            return; // the full pass that follows the load covers these
        Plan plan = new Plan();
        for (var it = dirty.iterator(); it.hasNext(); ) {
            String id = it.next();
            it.remove();
            reconcile(id, plan, false);
        }
        execute(plan);
    }

    /**
     * A child's spec entry was removed (stopped, exited, given up, or deleted by an operator): the desired
     * state says it runs nowhere, so this node stops its replica too. Any thread.
     */
    public void onSpecRemoved(String childId) {
        hub.loop.execute(() -> {
            // A retirement ends when its removal is seen, not merely when no spec is seen: the spec's own
            // registration may not have arrived yet, and arriving after the retirement it would start the child again.
            if (supervisor.retirementSeen(childId))
                return;
            LocalChild cell = supervisor.local(childId);
            if (cell != null && cell.phase == ChildPhase.RUNNING)
                supervisor.stop(List.of(childId), StopReason.REQUESTED, false, ids -> { });
        });
    }

    /** Looks at every child, and removes entries of nodes that left if this node is the oldest member. Loop only. */
    public void reconcileAll() {
        if (!hub.registry.isLoaded())
            return; // the hub is starting: its first full pass follows the load
        long began = System.nanoTime();
        Plan plan = new Plan();
        Set<String> ids = new HashSet<>(hub.index.childIds());
        ids.addAll(supervisor.localIds());
        for (String id : ids)
            reconcile(id, plan, true);
        ClusterNode oldest = hub.membership.oldest();
        if (oldest != null && oldest.id().equals(hub.localNodeId))
            removeEntriesOfDeadNodes(plan);
        supervisor.purgePendingStates();
        execute(plan);
        replicaCheck.passDone();
        hub.metrics.reconcilePasses.increment();
        hub.metrics.lastFullPassMillis.set((System.nanoTime() - began) / 1_000_000);
    }

    /**
     * @param full whether this is a full pass: only then is a running child whose spec entry is missing
     *     registered again (between passes a missing spec is either on its way or was removed on purpose).
     */
    private void reconcile(String id, Plan plan, boolean full) {
        RegistryIndex.Entry entry = hub.index.get(id);
        ChildSpec spec = entry == null ? null : entry.spec;
        ChildRef mine = entry == null ? null : entry.refOn(hub.localNodeId);
        LocalChild cell = supervisor.local(id);
        if (cell != null && cell.phase == ChildPhase.RETIRED)
            cell = null;

        Long retiringSince = supervisor.retiredSince(id);
        if (retiringSince != null && cell == null && System.currentTimeMillis() - retiringSince > RETRY_MILLIS) {
            if (spec == null) {
                // Its removal event was never seen here (onSpecRemoved ends a retirement), yet the spec is gone.
                supervisor.retirementSeen(id);
                retiringSince = null;
            }
            else {
                // The removal did not stick (a late write of the same key won): remove again.
                supervisor.markRetired(id);
                plan.retiredAgain.add(id);
                return;
            }
        }
        if (retiringSince != null || cell != null && (cell.phase == ChildPhase.STARTING || cell.phase == ChildPhase.MOVING_OUT))
            return;

        List<ClusterNode> owners = placements.owners(id);
        int myIndex = indexOf(owners, hub.localNodeId);
        if (full && entry != null)
            findMisplacedReplicas(entry, owners);

        if (cell != null && cell.phase == ChildPhase.RUNNING) {
            if (myIndex < 0 && !owners.isEmpty()) {
                moveAway(cell, owners, plan);
                return;
            }
            if (!cell.isRegistered())
                return;
            // A spec missing right after registration is still on its way through the continuous query.
            if (spec == null && full && System.currentTimeMillis() - cell.registeredAt > RETRY_MILLIS)
                plan.specsToRepair.add(cell.spec);
            ChildRef current = cell.ref;
            ReplicaRole role = placements.roleFor(id, owners);
            if (current.role() != role)
                plan.roleChanges.put(id, role);
            else if (!current.equals(mine))
                plan.refsToRepair.add(current);
            return;
        }
        if (cell != null)
            return; // DEAD: its supervisor is retiring or restarting it.

        boolean start = spec != null && myIndex >= 0 && !hub.isPartitioned() && mayStart(id, owners);
        // A stale entry of a child started here again is overwritten when the child registers. Removing it as well
        // would race with that registration (two asynchronous writes of one key, reordered during a topology
        // change): the removal could land last and leave a running child unregistered until the next sync.
        if (mine != null && !start)
            plan.staleOwnEntries.add(id);
        if (start)
            plan.toStart.add(new StartItem(spec, myIndex));
    }

    /** ColdSwap waits until the replica moving away from a node that no longer owns the child is gone. */
    private boolean mayStart(String id, List<ClusterNode> owners) {
        if (migration.startBeforeStop())
            return true;
        return placements.copies() == 1 ? supervisor.liveRefElsewhere(id) == null
            : placements.liveReplicaOffOwners(id, owners) == null;
    }

    /**
     * A replica this node no longer owns. ColdSwap and passive replicas stop now; under HotSwap the active one
     * waits until the new first owner runs its replica, then hands its state over.
     */
    private void moveAway(LocalChild cell, List<ClusterNode> owners, Plan plan) {
        if (!migration.startBeforeStop() || cell.ref.role() == ReplicaRole.PASSIVE)
            plan.toMoveAway.add(cell);
        else if (placements.hasReplicaOn(cell.id, owners.get(0).id()))
            plan.toHandOver.add(cell);
    }

    /** Replicas on other nodes that do not own the child (moving away, or gone with their node): see ReplicaCheck. */
    private void findMisplacedReplicas(RegistryIndex.Entry entry, List<ClusterNode> owners) {
        for (ChildRef r : entry.refs)
            if (!r.nodeId().equals(hub.localNodeId) && (!Placements.contains(owners, r.nodeId()) || !hub.isAlive(r.nodeId())))
                replicaCheck.add(r);
    }

    private static int indexOf(List<ClusterNode> owners, UUID nodeId) {
        for (int i = 0; i < owners.size(); i++)
            if (owners.get(i).id().equals(nodeId))
                return i;
        return -1;
    }

    private void removeEntriesOfDeadNodes(Plan plan) {
        for (String id : hub.index.childIds()) {
            RegistryIndex.Entry e = hub.index.get(id);
            if (e == null)
                continue;
            for (ChildRef r : e.refs) {
                UUID node = r.nodeId();
                if (!node.equals(hub.localNodeId) && !hub.isAlive(node))
                    plan.entriesOfDeadNodes.add(r);
            }
        }
    }

    private void execute(Plan plan) {
        if (hub.isPartitioned())
            return; // without quorum this side neither writes the registry nor starts anything
        if (plan.registryWrites() > 0) {
            LOG.debug("Hub {} on {}: repairing {} registry entries, removing {} stale, {} retired, {} of dead nodes",
                hub.hubId, hub.localName, plan.specsToRepair.size() + plan.refsToRepair.size(), plan.staleOwnEntries.size(),
                plan.retiredAgain.size(), plan.entriesOfDeadNodes.size());
            RegistryWriter writer = hub.registry.writer();
            writer.repair(plan.specsToRepair, plan.refsToRepair);
            writer.unregisterOwn(plan.staleOwnEntries);
            writer.retire(plan.retiredAgain);
            writer.removeReplicasOf(plan.entriesOfDeadNodes);
            hub.metrics.registryRepairs.add(plan.registryWrites());
        }
        plan.roleChanges.forEach(supervisor::changeRole);
        if (!plan.toMoveAway.isEmpty())
            moveAway(plan.toMoveAway);
        if (!plan.toHandOver.isEmpty()) {
            LOG.info("Hub {} on {}: handing {} children over to their new owners", hub.hubId, hub.localName, plan.toHandOver.size());
            handover.handOver(plan.toHandOver, hub.membership::owner, true);
        }
        if (!plan.toStart.isEmpty()) {
            LOG.info("Hub {} on {}: starting {} children it now owns", hub.hubId, hub.localName, plan.toStart.size());
            List<ChildSpec> specs = new ArrayList<>(plan.toStart.size());
            for (StartItem item : plan.toStart)
                specs.add(item.spec);
            hub.hooks.fire(Hook.PRE_CHILDREN_REDISTRIBUTION, () -> new ChildrenEvent(Hook.PRE_CHILDREN_REDISTRIBUTION,
                hub.hubId, hub.localName, specs, hub.localName));
            // mayStart already decided; under HotSwap the old replica is expected to still run.
            supervisor.start(plan.toStart, false, result -> {
                hub.metrics.childrenMovedIn.add(result.started.size());
                if (result.errors.isEmpty())
                    return;
                LOG.warn("Hub {} on {}: {} children failed to start: {}", hub.hubId, hub.localName,
                    result.errors.size(), result.errors.subList(0, Math.min(5, result.errors.size())));
                // Children that did not start here: drop the stale entries kept for them above.
                List<String> stale = new ArrayList<>();
                for (ChildError e : result.errors) {
                    RegistryIndex.Entry entry = hub.index.get(e.childId());
                    if (entry != null && entry.refOn(hub.localNodeId) != null && !supervisor.localIds().contains(e.childId()))
                        stale.add(e.childId());
                }
                hub.registry.writer().unregisterOwn(stale);
            });
        }
    }

    /** ColdSwap: stop now, unregister the replica; the new owner starts it once the entry is gone. */
    private void moveAway(List<LocalChild> cells) {
        LOG.info("Hub {} on {}: moving {} children to their new owners", hub.hubId, hub.localName, cells.size());
        Map<String, List<ChildSpec>> byTarget = new HashMap<>();
        List<String> ids = new ArrayList<>(cells.size());
        for (LocalChild c : cells) {
            ids.add(c.id);
            byTarget.computeIfAbsent(Membership.nameOf(hub.membership.owner(c.id)), k -> new ArrayList<>()).add(c.spec);
        }
        supervisor.stop(ids, StopReason.MIGRATED, false, stopped -> byTarget.forEach((target, specs) ->
            hub.hooks.fire(Hook.CHILDREN_MIGRATED,
                () -> new ChildrenEvent(Hook.CHILDREN_MIGRATED, hub.hubId, hub.localName, specs, target))));
    }
}
