package io.processhub.ignite.reconcile;

import io.processhub.ignite.HubContext;
import io.processhub.ignite.registry.RegistryIndex;
import io.processhub.ignite.supervision.ReplicaPlacement;

import io.processhub.ChildRef;
import io.processhub.ReplicaRole;
import io.processhub.strategy.RedundancyStrategy;
import java.util.List;
import java.util.UUID;
import org.apache.ignite.cluster.ClusterNode;

/**
 * Where a child's replicas belong and which role this node's replica should have, from the current
 * membership, the redundancy strategy and the registry copy.
 */
public final class Placements implements ReplicaPlacement {
    private final HubContext hub;
    private final RedundancyStrategy redundancy;

    public Placements(HubContext hub) {
        this.hub = hub;
        this.redundancy = hub.config.getRedundancyStrategy();
    }

    @Override
    public int copies() {
        return redundancy.copies(Math.max(1, hub.membership.size()));
    }

    /** The owners of a child's replicas at the current membership, first owner first. */
    public List<ClusterNode> owners(String childId) {
        return hub.membership.owners(childId, copies());
    }

    public static boolean contains(List<ClusterNode> owners, UUID nodeId) {
        for (ClusterNode n : owners)
            if (n.id().equals(nodeId))
                return true;
        return false;
    }

    /**
     * The role this node's replica should have now. Only the first owner's replica is active (unless all
     * are), and it becomes active only once no other live node still registers an active replica: a
     * demotion is never waited for, a promotion always, so two replicas are never active at once.
     */
    public ReplicaRole roleFor(String childId, List<ClusterNode> owners) {
        if (redundancy.allActive())
            return ReplicaRole.ACTIVE;
        if (owners.isEmpty() || !owners.get(0).id().equals(hub.localNodeId))
            return ReplicaRole.PASSIVE;
        return liveActiveElsewhere(childId) == null ? ReplicaRole.ACTIVE : ReplicaRole.PASSIVE;
    }

    @Override
    public ReplicaRole initialRole(String childId) {
        return roleFor(childId, owners(childId));
    }

    /** A replica of the child on another node Ignite still sees, from the local registry copy. */
    @Override
    public ChildRef liveRefElsewhere(String childId) {
        RegistryIndex.Entry e = hub.index.get(childId);
        if (e != null)
            for (ChildRef r : e.refs)
                if (!r.nodeId().equals(hub.localNodeId) && hub.isAlive(r.nodeId()))
                    return r;
        return null;
    }

    /** An active replica of the child on another node Ignite still sees. */
    public ChildRef liveActiveElsewhere(String childId) {
        RegistryIndex.Entry e = hub.index.get(childId);
        if (e != null)
            for (ChildRef r : e.refs)
                if (r.role() == ReplicaRole.ACTIVE && !r.nodeId().equals(hub.localNodeId) && hub.isAlive(r.nodeId()))
                    return r;
        return null;
    }

    /** A replica of the child on a live node that is not one of its owners: one that is moving away. */
    public ChildRef liveReplicaOffOwners(String childId, List<ClusterNode> owners) {
        RegistryIndex.Entry e = hub.index.get(childId);
        if (e != null)
            for (ChildRef r : e.refs)
                if (!r.nodeId().equals(hub.localNodeId) && !contains(owners, r.nodeId()) && hub.isAlive(r.nodeId()))
                    return r;
        return null;
    }

    /** Whether the given node has a registered replica of the child. */
    public boolean hasReplicaOn(String childId, UUID nodeId) {
        RegistryIndex.Entry e = hub.index.get(childId);
        return e != null && e.refOn(nodeId) != null;
    }

    @Override
    public boolean signals(ReplicaRole role) {
        return redundancy.signals(role == ReplicaRole.ACTIVE);
    }
}
