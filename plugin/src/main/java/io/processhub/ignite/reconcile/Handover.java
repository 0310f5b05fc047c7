package io.processhub.ignite.reconcile;

import io.processhub.ignite.HubContext;
import io.processhub.ignite.membership.Membership;
import io.processhub.ignite.supervision.ChildPhase;
import io.processhub.ignite.supervision.LocalChild;
import io.processhub.ignite.supervision.Supervisor;
import io.processhub.ignite.transport.Messages;
import io.processhub.ignite.transport.PendingRequests;
import io.processhub.ignite.transport.Transport;

import io.processhub.ChildSpec;
import io.processhub.hook.ChildrenEvent;
import io.processhub.hook.Hook;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Moves children away from this node with their state (HotSwap): snapshot and stop each one, send the
 * states in one message per new owner, wait for the acknowledgement (at most the retention time), then
 * forget them here. Used by the reconciler when owners change and by a node that leaves gracefully.
 */
public final class Handover {
    private static final Logger LOG = LogManager.getLogger(Handover.class);

    private final HubContext hub;
    private final Supervisor supervisor;
    private final Transport transport;
    private final PendingRequests pending;
    /**
     * Children whose state this node received by a handover, with when, until their replica here is promoted or
     * moves on: such a replica holds the child's only live state whatever its role. Changed on the loop only.
     */
    private final ConcurrentHashMap<String, Long> handedIn = new ConcurrentHashMap<>();

    public Handover(HubContext hub, Supervisor supervisor, Transport transport, PendingRequests pending) {
        this.hub = hub;
        this.supervisor = supervisor;
        this.transport = transport;
        this.pending = pending;
    }

    /**
     * Hands the given children over to the node {@code target} names for each. Loop only; completes (on any
     * thread) once every new owner acknowledged or the retention time ran out.
     *
     * @param forget whether to remove the moved children's replica entries (not when the node is leaving).
     */
    public CompletableFuture<Void> handOver(List<LocalChild> cells, Function<String, ClusterNode> target, boolean forget) {
        boolean withState = hub.config.getMigrationStrategy().handover();
        for (LocalChild cell : cells)
            handedIn.remove(cell.id);
        List<CompletableFuture<Object>> snapshots = new ArrayList<>(cells.size());
        for (LocalChild cell : cells)
            snapshots.add(supervisor.snapshotAndStop(cell.id, withState));
        CompletableFuture<Void> done = new CompletableFuture<>();
        CompletableFuture.allOf(snapshots.toArray(new CompletableFuture[0])).whenComplete((ok, err) -> {
            Map<ClusterNode, List<Integer>> byTarget = new LinkedHashMap<>();
            for (int i = 0; i < cells.size(); i++) {
                ClusterNode node = target.apply(cells.get(i).id);
                if (node != null && snapshots.get(i).join() != null)
                    byTarget.computeIfAbsent(node, k -> new ArrayList<>()).add(i);
            }
            List<CompletableFuture<Object>> acks = new ArrayList<>();
            byTarget.forEach((node, idx) -> acks.add(send(node, idx, cells, snapshots)));
            CompletableFuture.allOf(acks.toArray(new CompletableFuture[0])).whenComplete((a, e) -> {
                if (forget)
                    hub.loop.execute(() -> forget(cells, target));
                done.complete(null);
            });
        });
        return done;
    }

    private CompletableFuture<Object> send(ClusterNode node, List<Integer> idx, List<LocalChild> cells,
        List<CompletableFuture<Object>> snapshots) {
        List<String> ids = new ArrayList<>(idx.size());
        List<Object> states = new ArrayList<>(idx.size());
        for (int i : idx) {
            ids.add(cells.get(i).id);
            states.add(snapshots.get(i).join());
        }
        return send(node, ids, states, hub.localName);
    }

    /** Sends states to a node; completes once it acknowledged, or (with null) after the retention time. */
    private CompletableFuture<Object> send(ClusterNode node, List<String> ids, List<Object> states, String from) {
        CompletableFuture<Object> ack = new CompletableFuture<>();
        Duration retention = Duration.ofMillis(hub.config.getMigrationStrategy().retentionMillis());
        long requestId = pending.register(ack, ids.size() + " handed-over children", Membership.nameOf(node), retention);
        if (transport.request(node.id(), new Messages.HandoverRequest(requestId, hub.localNodeId, from, ids, states)))
            hub.metrics.handoversOut.add(ids.size());
        else
            ack.complete(null);
        return ack.exceptionally(e -> {
            LOG.warn("Hub {}: {} did not take the state of {} children in time; they start there without it",
                hub.hubId, Membership.nameOf(node), ids.size());
            return null;
        });
    }

    private void forget(List<LocalChild> cells, Function<String, ClusterNode> target) {
        Map<String, List<ChildSpec>> byTarget = new LinkedHashMap<>();
        for (LocalChild cell : cells) {
            supervisor.forgetMoved(cell.id);
            ClusterNode node = target.apply(cell.id);
            byTarget.computeIfAbsent(node == null ? "" : Membership.nameOf(node), k -> new ArrayList<>()).add(cell.spec);
        }
        byTarget.forEach((node, specs) -> hub.hooks.fire(Hook.CHILDREN_MIGRATED,
            () -> new ChildrenEvent(Hook.CHILDREN_MIGRATED, hub.hubId, hub.localName, specs, node)));
    }

    /**
     * Serves a handover from another node: loop only. A state for a child whose replica here is already gone and
     * whose first owner is a third node (the child moved on while the state was under way) goes on to that
     * owner, so it is not left behind.
     */
    public void accept(Messages.HandoverRequest req) {
        long now = System.currentTimeMillis();
        Map<ClusterNode, List<Integer>> onward = new LinkedHashMap<>();
        for (int i = 0; i < req.childIds.size(); i++) {
            String id = req.childIds.get(i);
            ClusterNode owner = hub.membership().owner(id);
            LocalChild local = supervisor.local(id);
            boolean here = local != null && (local.phase == ChildPhase.RUNNING || local.phase == ChildPhase.STARTING);
            // Never back to the sender: a node leaving gracefully hands over while this node still counts it as owner.
            if (!here && owner != null && !owner.id().equals(hub.localNodeId) && !owner.id().equals(req.origin)) {
                onward.computeIfAbsent(owner, k -> new ArrayList<>()).add(i);
                continue;
            }
            restore(id, req.states.get(i), req.from, now);
        }
        transport.reply(req.origin, new Messages.CallReply(req.requestId, Boolean.TRUE, Messages.CallReply.Failure.NONE, null));
        onward.forEach((node, idx) -> {
            List<String> ids = new ArrayList<>(idx.size());
            List<Object> states = new ArrayList<>(idx.size());
            for (int i : idx) {
                ids.add(req.childIds.get(i));
                states.add(req.states.get(i));
            }
            LOG.debug("Hub {} on {}: passing the states of {} children on to {}", hub.hubId, hub.localName, ids.size(),
                Membership.nameOf(node));
            send(node, ids, states, req.from);
        });
    }

    /** Gives the child's replica here the state another node handed to it (now, or at its start). Loop only. */
    public void restore(String childId, Object state, String from) {
        restore(childId, state, from, System.currentTimeMillis());
    }

    private void restore(String childId, Object state, String from, long now) {
        supervisor.restore(childId, state, from);
        handedIn.put(childId, now);
    }

    /** Whether this node received the child's state by a handover and its replica was not promoted since. */
    public boolean holdsHandedInState(String childId) {
        return handedIn.containsKey(childId);
    }

    /** The child's replica here became active: from now on its role says it holds the state. Loop only. */
    public void promoted(String childId) {
        handedIn.remove(childId);
    }

    /** Forgets handed-in states older than {@code maxAgeMillis} (their children were never promoted here). Loop only. */
    public void purgeHandedIn(long now, long maxAgeMillis) {
        handedIn.values().removeIf(at -> at < now - maxAgeMillis);
    }

    /** Where a child goes when this node leaves: its first owner among the other members. */
    public static Function<String, ClusterNode> successorsWithout(HubContext hub, UUID leaving) {
        Membership rest = hub.membership().without(leaving, hub.memberAttribute, hub.config.getDistributionStrategy());
        return rest::owner;
    }
}
