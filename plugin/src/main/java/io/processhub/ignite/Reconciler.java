package io.processhub.ignite;

import io.processhub.ChildError;
import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import io.processhub.StopReason;
import io.processhub.hook.ChildrenEvent;
import io.processhub.hook.Hook;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Level-triggered convergence of this node toward the registry. For each child it compares the desired
 * state (the spec entry and the placement) with the actual state (the local cell and the replica entries)
 * and acts: start what this node owns and nobody live runs, move away what it no longer owns, re-register
 * what runs unregistered, drop entries of replicas that do not run. It runs for the children a registry
 * change touched, and for all of them on a membership change and every sync interval; whatever state it
 * starts from, it converges, which is what makes crashes, lost messages and races boring.
 */
final class Reconciler {
    private static final Logger LOG = LogManager.getLogger(Reconciler.class);

    private final HubContext hub;
    private final Supervisor supervisor;
    private final Set<String> dirty = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    /** What one pass decided; executed in batches at its end. */
    private final class Plan {
        final List<ChildSpec> toStart = new ArrayList<>();
        final List<ChildCell> toMoveAway = new ArrayList<>();
        final Map<String, Object> puts = new HashMap<>();
        final List<String> removes = new ArrayList<>();
    }

    Reconciler(HubContext hub, Supervisor supervisor) {
        this.hub = hub;
        this.supervisor = supervisor;
    }

    /** Registry entries of these children changed: look at them soon. Any thread. */
    void markDirty(Set<String> childIds) {
        dirty.addAll(childIds);
        if (scheduled.compareAndSet(false, true))
            hub.loop.execute(this::reconcileDirty);
    }

    private void reconcileDirty() {
        scheduled.set(false);
        Plan plan = new Plan();
        for (var it = dirty.iterator(); it.hasNext(); ) {
            String id = it.next();
            it.remove();
            reconcile(id, plan);
        }
        execute(plan);
    }

    /** Looks at every child, and removes entries of nodes that left if this node is the oldest member. Loop only. */
    void reconcileAll() {
        Plan plan = new Plan();
        Set<String> ids = new HashSet<>(hub.index.childIds());
        ids.addAll(supervisor.cells.keySet());
        for (String id : ids)
            reconcile(id, plan);
        ClusterNode oldest = hub.membership.oldest();
        if (oldest != null && oldest.id().equals(hub.localNodeId))
            removeEntriesOfDeadNodes(plan);
        execute(plan);
    }

    private void reconcile(String id, Plan plan) {
        Membership members = hub.membership;
        RegistryIndex.Entry entry = hub.index.get(id);
        ChildSpec spec = entry == null ? null : entry.spec;
        ChildRef mine = entry == null ? null : entry.refOn(hub.localNodeId);
        ChildCell cell = supervisor.cells.get(id);

        if (spec == null)
            supervisor.retiring.remove(id);
        if (supervisor.retiring.contains(id) || (cell != null && cell.state == ChildCell.State.STARTING))
            return;

        if (cell != null && cell.state == ChildCell.State.RUNNING) {
            ClusterNode owner = members.owner(id);
            if (owner != null && !owner.id().equals(hub.localNodeId)) {
                plan.toMoveAway.add(cell);
                return;
            }
            if (!cell.registered)
                return;
            if (spec == null)
                plan.puts.put(id, cell.spec);
            ChildRef current = cell.ref;
            if (mine == null || mine.incarnation() != current.incarnation())
                plan.puts.put(RegistryKeys.replicaKey(id, hub.localNodeId), current);
            return;
        }
        if (cell != null)
            return; // DEAD: its supervisor is retiring or restarting it.

        boolean start = spec != null && !members.isEmpty() && members.owner(id).id().equals(hub.localNodeId)
            && !hub.isPartitioned() && supervisor.liveRefElsewhere(id) == null;
        // A stale entry of a child started here again is overwritten when the child registers. Removing it as well
        // would race with that registration (two asynchronous writes of one key, reordered during a topology
        // change): the removal could land last and leave a running child unregistered until the next sync.
        if (mine != null && !start)
            plan.removes.add(RegistryKeys.replicaKey(id, hub.localNodeId));
        if (start)
            plan.toStart.add(spec);
    }

    private void removeEntriesOfDeadNodes(Plan plan) {
        for (String id : hub.index.childIds()) {
            RegistryIndex.Entry e = hub.index.get(id);
            if (e == null)
                continue;
            for (ChildRef r : e.refs) {
                UUID node = r.nodeId();
                if (!node.equals(hub.localNodeId) && !hub.isAlive(node))
                    plan.removes.add(RegistryKeys.replicaKey(id, node));
            }
        }
    }

    private void execute(Plan plan) {
        if (hub.isPartitioned())
            return; // without quorum this side neither writes the registry nor starts anything
        if (!plan.puts.isEmpty() || !plan.removes.isEmpty()) {
            LOG.debug("Hub {} on {}: repairing {} registry entries, removing {}", hub.hubId, hub.localName,
                plan.puts.size(), plan.removes.size());
            hub.registry.write(plan.puts, plan.removes);
        }
        if (!plan.toMoveAway.isEmpty()) {
            LOG.info("Hub {} on {}: moving {} children to their new owners", hub.hubId, hub.localName, plan.toMoveAway.size());
            Map<String, List<ChildSpec>> byTarget = new HashMap<>();
            for (ChildCell c : plan.toMoveAway)
                byTarget.computeIfAbsent(Membership.nameOf(hub.membership.owner(c.id)), k -> new ArrayList<>()).add(c.spec);
            supervisor.stop(plan.toMoveAway, StopReason.MIGRATED, false, ids -> byTarget.forEach((target, specs) ->
                hub.hooks.fire(Hook.CHILDREN_MIGRATED,
                    () -> new ChildrenEvent(Hook.CHILDREN_MIGRATED, hub.hubId, hub.localName, specs, target))));
        }
        if (!plan.toStart.isEmpty()) {
            LOG.info("Hub {} on {}: starting {} children it now owns", hub.hubId, hub.localName, plan.toStart.size());
            hub.hooks.fire(Hook.PRE_CHILDREN_REDISTRIBUTION, () -> new ChildrenEvent(Hook.PRE_CHILDREN_REDISTRIBUTION,
                hub.hubId, hub.localName, plan.toStart, hub.localName));
            supervisor.start(plan.toStart, true, result -> {
                if (result.errors.isEmpty())
                    return;
                LOG.warn("Hub {} on {}: {} children failed to start: {}", hub.hubId, hub.localName,
                    result.errors.size(), result.errors.subList(0, Math.min(5, result.errors.size())));
                // Children that did not start here: drop the stale entries kept for them above.
                List<String> stale = new ArrayList<>();
                for (ChildError e : result.errors) {
                    RegistryIndex.Entry entry = hub.index.get(e.childId());
                    if (entry != null && entry.refOn(hub.localNodeId) != null && !supervisor.cells.containsKey(e.childId()))
                        stale.add(RegistryKeys.replicaKey(e.childId(), hub.localNodeId));
                }
                if (!stale.isEmpty() && !hub.isPartitioned())
                    hub.registry.write(Map.of(), stale);
            });
        }
    }
}
