package io.processhub.ignite.reconcile;

import io.processhub.ignite.HubContext;
import io.processhub.ignite.registry.RegistryIndex;

import io.processhub.ChildRef;
import io.processhub.ReplicaRole;
import io.processhub.strategy.RedundancyStrategy;
import java.util.List;
import java.util.UUID;
import org.apache.ignite.cluster.ClusterNode;

/**
 * Where a child's replicas belong and which role a replica starts with on this node, from the current
 * membership, the redundancy strategy and the registry copy.
 */
public final class Placements {
    private final HubContext hub;
    private final RedundancyStrategy redundancy;

    public Placements(HubContext hub) {
        this.hub = hub;
        this.redundancy = hub.config.getRedundancyStrategy();
    }

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
     * The role a replica starts with on this node: {@link RedundancyStrategy#active} of a replica not active yet
     * (on the first owner, active once no other live replica is).
     */
    public ReplicaRole roleFor(String childId, List<ClusterNode> owners) {
        int index = -1;
        for (int i = 0; i < owners.size() && index < 0; i++)
            if (owners.get(i).id().equals(hub.localNodeId))
                index = i;
        return redundancy.active(index, false, liveActiveElsewhere(childId), false) ? ReplicaRole.ACTIVE : ReplicaRole.PASSIVE;
    }

    /** Whether a replica of the child on another node Ignite still sees is active. */
    private boolean liveActiveElsewhere(String childId) {
        RegistryIndex.Entry e = hub.index.get(childId);
        if (e != null)
            for (ChildRef r : e.refs)
                if (r.role() == ReplicaRole.ACTIVE && !r.nodeId().equals(hub.localNodeId) && hub.isAlive(r.nodeId()))
                    return true;
        return false;
    }

    public boolean signals(ReplicaRole role) {
        return redundancy.signals(role == ReplicaRole.ACTIVE);
    }
}
