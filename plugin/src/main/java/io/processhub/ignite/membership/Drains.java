package io.processhub.ignite.membership;

import io.processhub.ignite.HubContext;

import io.processhub.DrainException;
import io.processhub.hook.DrainEvent;
import io.processhub.hook.Hook;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The draining of one hub's members on one node: applies the cluster-wide draining set ({@link DrainStore}) to this
 * node's membership, fires the hooks, and on a member checks and writes drain and undrain requests. A draining
 * member takes no placement (see {@link Membership}), so the reconciler moves its children away as if it had left,
 * with a HotSwap handover where configured; undrained, it is on the ring again and gets its children back.
 */
public final class Drains {
    private static final Logger LOG = LogManager.getLogger(Drains.class);

    private final HubContext hub;
    private final DrainStore store;
    /** What a member does once the placement changed (reconcile); nothing on a node that only uses the hub. */
    private final Runnable placementChanged;

    public Drains(HubContext hub, Runnable placementChanged) {
        this.hub = hub;
        this.store = new DrainStore(hub.ignite, hub.hubId);
        this.placementChanged = placementChanged;
    }

    /** Reads the draining set and follows its changes; call before the first membership is taken. */
    public void open() {
        store.listen(() -> hub.loop.execute(this::refresh)); // from the discovery thread: hand over at once
        hub.view.setDrainingIds(store.read().ids());
    }

    /** The draining set changed: a new membership (same members, other ring), hooks, reconcile. Loop only. */
    private void refresh() {
        Set<UUID> ids = store.read().ids();
        if (ids.equals(hub.view.drainingIds()))
            return;
        hub.view.setDrainingIds(ids);
        Membership previous = hub.membership();
        if (previous == null)
            return; // the hub is opening: its first membership, taken next on the loop, uses the new set
        Membership next = previous.withDraining(ids, hub.memberAttribute, hub.config.getDistributionStrategy());
        hub.view.setMembership(next);
        for (ClusterNode n : next.nodes()) {
            boolean was = previous.isDraining(n.id());
            boolean is = next.isDraining(n.id());
            if (was != is) {
                Hook hook = is ? Hook.NODE_DRAINING : Hook.NODE_UNDRAINED;
                LOG.info("Hub {} on {}: {} {}", hub.hubId, hub.localName, Membership.nameOf(n), is ? "is draining" : "was undrained");
                hub.hooks.fire(hook, () -> new DrainEvent(hook, hub.hubId, hub.localName, Membership.nameOf(n), n.id()));
            }
        }
        placementChanged.run();
    }

    /**
     * Drains or undrains a member: checks the request against the current draining set and writes it, in one
     * compare-and-set. Entries of nodes that left are dropped on the way. Blocks for the write: call it on a thread
     * that may wait (a compute job), on a member (it knows the hub's distribution).
     *
     * @return the id of the node instance named {@code name}
     * @throws DrainException if the request is refused; nothing was written then
     */
    public UUID request(String name, boolean drain) {
        ClusterNode node = nodeNamed(name);
        store.update(current -> {
            DrainingNodes alive = current.retain(hub::isAlive);
            if (!drain)
                return alive.without(name);
            if (hub.config.getDistributionStrategy().usesChildMapping())
                throw new DrainException(DrainException.Reason.GUIDED_DISTRIBUTION, "hub " + hub.hubId
                    + " uses a guided distribution: its children are pinned to the nodes their start requests named, "
                    + "they cannot move away from " + name);
            DrainingNodes next = alive.with(name, node.id());
            Membership members = hub.membership();
            boolean hostLeft = false;
            for (ClusterNode n : members.nodes())
                hostLeft |= !next.ids().contains(n.id());
            if (!hostLeft)
                throw new DrainException(DrainException.Reason.LAST_NODE, "every other member of hub " + hub.hubId
                    + " is draining already " + alive + ": the children of " + name + " would have nowhere to go");
            return next;
        });
        LOG.info("Hub {}: {} {}", hub.hubId, name, drain ? "drained" : "undrained");
        return node.id();
    }

    /** The member of the hub with this consistent id, or why it cannot be drained. */
    private ClusterNode nodeNamed(String name) {
        ClusterNode found = null;
        for (ClusterNode n : hub.ignite.cluster().nodes())
            if (Membership.nameOf(n).equals(name))
                found = n;
        if (found == null)
            throw new DrainException(DrainException.Reason.UNKNOWN_NODE, "no node of the cluster has the consistent id " + name);
        if (found.isClient())
            throw new DrainException(DrainException.Reason.CLIENT_NODE, name + " is a client node: it runs no children of hub "
                + hub.hubId);
        if (found.attribute(hub.memberAttribute) == null)
            throw new DrainException(DrainException.Reason.NOT_A_MEMBER, name + " does not run hub " + hub.hubId);
        return found;
    }

    /** After a member left: the oldest member drops the draining entries of nodes that are gone. Loop only. */
    public void dropLeftNodes() {
        ClusterNode oldest = hub.membership().oldest();
        if (oldest == null || !oldest.id().equals(hub.localNodeId))
            return;
        DrainingNodes current = store.read();
        if (current.retain(hub::isAlive).equals(current))
            return;
        // The write waits for a discovery round trip: not on the loop, nor on the hub's shared timer.
        CompletableFuture.runAsync(() -> {
            try {
                store.update(d -> d.retain(hub::isAlive));
            }
            catch (RuntimeException e) {
                LOG.debug("Hub {}: draining entries of departed nodes not dropped (the next leave tries again)", hub.hubId, e);
            }
        });
    }

    /** Whether the named node instance is draining, from this node's copy of the cluster-wide set. */
    public boolean isDraining(String name, UUID id) {
        return store.read().isDraining(name, id);
    }
}
