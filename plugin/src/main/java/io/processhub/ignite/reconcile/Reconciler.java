package io.processhub.ignite.reconcile;

import io.processhub.ignite.HubContext;
import io.processhub.ignite.membership.Membership;
import io.processhub.ignite.registry.RegistryIndex;
import io.processhub.ignite.registry.RegistryWriter;
import io.processhub.ignite.supervision.ChildPhase;
import io.processhub.ignite.supervision.LocalChild;
import io.processhub.ignite.supervision.StartItem;
import io.processhub.ignite.supervision.Supervisor;
import io.processhub.ignite.transport.Messages;

import io.processhub.ChildError;
import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import io.processhub.ReplicaRole;
import io.processhub.StopReason;
import io.processhub.hook.ChildrenEvent;
import io.processhub.hook.Hook;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Level-triggered convergence of this node toward the registry. For each child it gathers the facts (the spec
 * entry, the owners, the replica entries with their nodes' liveness, the local child), lets {@link Decide} judge
 * them, and executes the decisions of a pass in batches: start the replicas this node owns, move away what it no
 * longer owns, promote or demote replicas, re-register what runs unregistered, drop entries of replicas that do
 * not run. It runs for the children a registry change touched, and for all of them on a membership change and
 * every sync interval; whatever state it starts from, it converges, which is what makes crashes, lost messages
 * and races boring.
 */
public final class Reconciler {
    private static final Logger LOG = LogManager.getLogger(Reconciler.class);

    private final HubContext hub;
    private final Supervisor supervisor;
    private final Placements placements;
    private final Handover handover;
    private final RoleRelease release;
    private final Decide decide;
    /** How long a handed-in state marks a replica that was never promoted. */
    private static final long HANDED_IN_MAX_AGE_MILLIS = 60_000;

    /**
     * The most dirty children one loop task looks at; the rest go to a task queued after it. Urgent tasks run between
     * two (see {@link io.processhub.ignite.HubLoop#executeFirst}): a role release waited up to 100 ms behind one
     * pass over the thousands of children a join had marked. A chunk also ends early as soon as an urgent task
     * waits: on a loaded machine a chunk of 512 took over 100 ms on the joining node, while the children whose release
     * waited behind it had no active replica.
     */
    private static final int DIRTY_CHUNK = 512;
    /** What the fast path of a release acts on (see {@link #promoteReleased}); everything else waits for the loop. */
    private static final Decision PROMOTE = Decision.setRole(ReplicaRole.ACTIVE);

    private final DirtyChildren dirty = new DirtyChildren();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    /** What one pass decided; executed in batches at its end. */
    private static final class Plan {
        public final List<StartItem> toStart = new ArrayList<>();
        public final List<LocalChild> toMoveAway = new ArrayList<>();
        public final List<LocalChild> toHandOver = new ArrayList<>();
        public final List<String> orphansToStop = new ArrayList<>();
        public final Map<String, ReplicaRole> roleChanges = new LinkedHashMap<>();
        /** Registry writes, by what they mean (see RegistryWriter). */
        public final List<ChildSpec> specsToRepair = new ArrayList<>();
        public final List<ChildRef> refsToRepair = new ArrayList<>();
        public final List<String> staleOwnEntries = new ArrayList<>();
        public final List<String> retirementsEnded = new ArrayList<>();
        public final List<String> retiredAgain = new ArrayList<>();
        public final List<ChildRef> entriesOfDeadNodes = new ArrayList<>();

        public int registryWrites() {
            return specsToRepair.size() + refsToRepair.size() + staleOwnEntries.size() + retiredAgain.size()
                + entriesOfDeadNodes.size();
        }

        void add(ChildFacts f, Decision d) {
            String id = f.childId;
            switch (d.action) {
                case START:
                    toStart.add(new StartItem(f.spec, d.replica));
                    break;
                case STOP_MIGRATED:
                    toMoveAway.add(f.local);
                    break;
                case HAND_OVER:
                    toHandOver.add(f.local);
                    break;
                case STOP_ORPHAN:
                    orphansToStop.add(id);
                    break;
                case SET_ROLE:
                    roleChanges.put(id, d.role);
                    break;
                case REGISTER_REPLICA:
                    refsToRepair.add(f.local.ref);
                    break;
                case REGISTER_SPEC:
                    specsToRepair.add(f.local.spec);
                    break;
                case DROP_OWN_ENTRY:
                    staleOwnEntries.add(id);
                    break;
                case END_RETIREMENT:
                    retirementsEnded.add(id);
                    if (f.mine() != null)
                        staleOwnEntries.add(id);
                    break;
                case RETIRE_AGAIN:
                    retiredAgain.add(id); // the spec again, and this node's replica entry if any
                    break;
                default:
                    break;
            }
        }
    }

    public Reconciler(HubContext hub, Supervisor supervisor, Placements placements, Handover handover, RoleRelease release) {
        this.hub = hub;
        this.supervisor = supervisor;
        this.placements = placements;
        this.handover = handover;
        this.release = release;
        this.decide = new Decide(hub.config.getRedundancyStrategy(), hub.config.getMigrationStrategy());
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
        String id;
        for (int looked = 0; looked < DIRTY_CHUNK && !(looked > 0 && hub.loop.urgentWaiting()) && (id = dirty.poll()) != null;
            looked++)
            reconcile(id, plan, false);
        execute(plan);
        if (!dirty.isEmpty() && scheduled.compareAndSet(false, true))
            hub.loop.execute(this::reconcileDirty);
    }

    /**
     * The fast path of a release (see RoleRelease), run on the thread the message arrives on: promotes at once each
     * replica that the loop would promote on the same facts, without waiting for the loop. A join keeps the joining
     * node's loop busy (its replicas' starts and registrations, the registry events of every move), and on a loaded
     * machine the loop's thread waited up to 150 ms for a core while no replica of these children was active. The
     * promotion itself happens in the child's mailbox, which orders it with anything the loop decides meanwhile
     * (a stop, a demotion), and the loop's task ({@link #released}) follows and decides about the same children
     * again. Not for a migration that hands state over: the state must reach the replica before its role, and the
     * loop's task does both in that order. Any thread.
     */
    public void promoteReleased(Messages.Released msg) {
        if (hub.config.getMigrationStrategy().handover() || !hub.registry.isLoaded())
            return;
        for (ChildRef ref : msg.refs) {
            RegistryIndex.Entry entry = hub.index.get(ref.childId());
            boolean shown = false; // as RoleRelease#released: the release counts while the registry copy shows the ref
            if (entry != null)
                for (ChildRef r : entry.refs())
                    shown |= r.equals(ref);
            // No state was handed in: only a migration that hands state over does that.
            ChildFacts f = facts(ref.childId(), entry, false, false, shown ? ref : null);
            if (f != null && PROMOTE.equals(decide.decide(f)))
                supervisor.changeRole(ref.childId(), ReplicaRole.ACTIVE);
        }
    }

    /**
     * Another node demoted replicas for this one (see RoleRelease): decides about them at once, while no replica of
     * them is active. Loop only.
     */
    public void released(Messages.Released msg) {
        List<String> ids = release.accept(msg);
        if (!hub.registry.isLoaded())
            return; // the full pass that follows the load covers these
        Plan plan = new Plan();
        for (String id : ids)
            reconcile(id, plan, false);
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
        ClusterNode oldest = hub.membership().oldest();
        if (oldest != null && oldest.id().equals(hub.localNodeId))
            removeEntriesOfDeadNodes(plan);
        supervisor.purgePendingStates();
        handover.purgeHandedIn(System.currentTimeMillis(), HANDED_IN_MAX_AGE_MILLIS);
        release.purge(System.currentTimeMillis(), HANDED_IN_MAX_AGE_MILLIS);
        execute(plan);
        hub.metrics.reconcilePasses.increment();
        hub.metrics.lastFullPassMillis.set((System.nanoTime() - began) / 1_000_000);
    }

    /**
     * @param full whether this is a full pass: only then is a running child whose spec entry is missing
     *     registered again (between passes a missing spec is either on its way or was removed on purpose).
     */
    private void reconcile(String id, Plan plan, boolean full) {
        RegistryIndex.Entry entry = hub.index.get(id);
        ChildFacts f = facts(id, entry, full, handover.holdsHandedInState(id),
            release.released(id, entry == null ? null : entry.refs()));
        if (f != null)
            plan.add(f, decide.decide(f));
    }

    /**
     * The facts about one child, or null if this node neither owns, nor runs, nor has a record of it (nothing to do
     * here, as Decide would say too: most registry changes are of such children, and gathering their facts is most
     * of a pass). Reads only what any thread may read; the loop-only facts come as arguments.
     */
    private ChildFacts facts(String id, RegistryIndex.Entry entry, boolean full, boolean stateHandedIn, ChildRef released) {
        List<ClusterNode> owners = placements.owners(id);
        LocalChild local = supervisor.local(id);
        if (local == null && (entry == null || !entry.hasRefOn(hub.localNodeId)) && !Placements.contains(owners, hub.localNodeId))
            return null;
        List<ChildRef> refs = entry == null ? null : entry.refs();
        ChildFacts.Builder facts = ChildFacts.of(id, hub.localNodeId)
            .spec(entry == null ? null : entry.spec())
            .specRemovedAt(entry != null && entry.hasSpec() ? 0 : hub.index.specRemovalSeenAt(id))
            .local(local)
            .stateHandedIn(stateHandedIn)
            .now(System.currentTimeMillis())
            .partitioned(hub.isPartitioned())
            .fullPass(full)
            .released(released);
        if (entry != null)
            for (ChildRef r : refs)
                facts.replica(r, hub.isAlive(r.nodeId()));
        for (ClusterNode n : owners)
            facts.owner(n.id());
        return facts.build();
    }

    private void removeEntriesOfDeadNodes(Plan plan) {
        for (String id : hub.index.childIds()) {
            RegistryIndex.Entry e = hub.index.get(id);
            if (e == null)
                continue;
            for (int i = 0; i < e.refCount(); i++) {
                UUID node = e.nodeIdAt(i);
                if (!node.equals(hub.localNodeId) && !hub.isAlive(node))
                    plan.entriesOfDeadNodes.add(e.ref(i));
            }
        }
    }

    private void execute(Plan plan) {
        if (hub.isPartitioned())
            return; // without quorum this side neither writes the registry nor starts anything
        for (String id : plan.retirementsEnded)
            supervisor.retirementSeen(id);
        for (String id : plan.retiredAgain)
            supervisor.markRetired(id);
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
        List<String> demoted = new ArrayList<>();
        plan.roleChanges.forEach((id, role) -> {
            if (role == ReplicaRole.ACTIVE) {
                handover.promoted(id);
                supervisor.changeRole(id, role);
            }
            else
                demoted.add(id);
        });
        if (!demoted.isEmpty())
            release.demote(demoted);
        if (!plan.orphansToStop.isEmpty()) {
            LOG.info("Hub {} on {}: stopping {} replicas whose children were stopped while they started, e.g. {}", hub.hubId,
                hub.localName, plan.orphansToStop.size(), plan.orphansToStop.get(0));
            supervisor.stop(plan.orphansToStop, StopReason.REQUESTED, false, ids -> { });
        }
        if (!plan.toMoveAway.isEmpty())
            moveAway(plan.toMoveAway);
        if (!plan.toHandOver.isEmpty()) {
            LOG.info("Hub {} on {}: handing {} children over to their new owners", hub.hubId, hub.localName, plan.toHandOver.size());
            handover.handOver(plan.toHandOver, hub.membership()::owner, true);
        }
        if (!plan.toStart.isEmpty()) {
            LOG.info("Hub {} on {}: starting {} children it now owns", hub.hubId, hub.localName, plan.toStart.size());
            List<ChildSpec> specs = new ArrayList<>(plan.toStart.size());
            for (StartItem item : plan.toStart)
                specs.add(item.spec);
            hub.hooks.fire(Hook.PRE_CHILDREN_REDISTRIBUTION, () -> new ChildrenEvent(Hook.PRE_CHILDREN_REDISTRIBUTION,
                hub.hubId, hub.localName, specs, hub.localName));
            // Decide already judged whether it may start; under HotSwap the old replica is expected to still run.
            supervisor.startReplicas(plan.toStart, result -> {
                hub.metrics.childrenMovedIn.add(result.started.size());
                // Registered now: a role change decided against them while their registration was under way
                // (WAIT) is decided again now, not at the next full pass.
                Set<String> started = new HashSet<>();
                for (ChildRef r : result.started)
                    started.add(r.childId());
                if (!started.isEmpty())
                    markDirty(started);
                if (result.errors.isEmpty())
                    return;
                // This side losing quorum while they started is expected: they start again where quorum is.
                boolean partitioned = result.errors.stream().allMatch(e -> e.reason() == ChildError.Reason.PARTITIONED);
                LOG.log(partitioned ? org.apache.logging.log4j.Level.DEBUG : org.apache.logging.log4j.Level.WARN,
                    "Hub {} on {}: {} children failed to start: {}", hub.hubId, hub.localName,
                    result.errors.size(), result.errors.subList(0, Math.min(5, result.errors.size())));
                // Children that did not start here: drop the stale entries kept for them above.
                List<String> stale = new ArrayList<>();
                for (ChildError e : result.errors) {
                    RegistryIndex.Entry entry = hub.index.get(e.childId());
                    if (entry != null && entry.hasRefOn(hub.localNodeId) && !supervisor.localIds().contains(e.childId()))
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
            byTarget.computeIfAbsent(Membership.nameOf(hub.membership().owner(c.id)), k -> new ArrayList<>()).add(c.spec);
        }
        supervisor.stop(ids, StopReason.MIGRATED, false, stopped -> byTarget.forEach((target, specs) ->
            hub.hooks.fire(Hook.CHILDREN_MIGRATED,
                () -> new ChildrenEvent(Hook.CHILDREN_MIGRATED, hub.hubId, hub.localName, specs, target))));
    }
}
