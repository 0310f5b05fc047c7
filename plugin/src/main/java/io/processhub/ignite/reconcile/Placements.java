package io.processhub.ignite.reconcile;

import io.processhub.ignite.HubContext;
import io.processhub.ignite.registry.RegistryIndex;
import io.processhub.ignite.supervision.ReplicaPlacement;

import io.processhub.ChildError;
import io.processhub.ChildMapping;
import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import io.processhub.ReplicaRole;
import io.processhub.strategy.DistributionStrategy;
import io.processhub.strategy.MappingProblem;
import io.processhub.strategy.RedundancyStrategy;
import java.util.List;
import java.util.UUID;
import org.apache.ignite.cluster.ClusterNode;

/**
 * Where a child's replicas belong and which role a replica starts with on this node, from the current
 * membership, the redundancy strategy and the registry copy (which holds a guided child's mapped nodes in its spec).
 */
public final class Placements implements ReplicaPlacement {
    private final HubContext hub;
    private final RedundancyStrategy redundancy;
    private final DistributionStrategy distribution;

    public Placements(HubContext hub) {
        this.hub = hub;
        this.redundancy = hub.config.getRedundancyStrategy();
        this.distribution = hub.config.getDistributionStrategy();
    }

    /** A registered child's mapped nodes (Guided), null if it has none or is not registered. */
    public static List<String> mappedNodes(RegistryIndex.Entry entry) {
        return entry == null ? null : ChildMapping.nodesOf(entry.spec());
    }

    /** Replicas per child, for the members that take placements (draining ones do not). */
    @Override
    public int copies() {
        return redundancy.copies(Math.max(1, hub.membership().hostCount()));
    }

    /** The owners of a child's replicas at the current membership, first owner first. */
    public List<ClusterNode> owners(String childId) {
        return hub.membership().owners(childId, copies());
    }

    /** The owners of a child about to start: its spec carries its mapped nodes, the registry may not have it yet. */
    public List<ClusterNode> owners(ChildSpec spec) {
        return hub.membership().owners(spec.id(), ChildMapping.nodesOf(spec), copies());
    }

    /** Why a child cannot start with the nodes its request mapped it to (guided distribution only), or null. */
    public ChildError mappingError(ChildSpec spec) {
        if (!distribution.usesChildMapping())
            return null;
        MappingProblem p = distribution.checkMapping(spec.id(), ChildMapping.nodesOf(spec), copies(),
            hub.membership().memberNames());
        return p == null ? null : new ChildError(spec.id(), null, reasonOf(p.kind()), p.detail());
    }

    private static ChildError.Reason reasonOf(MappingProblem.Kind kind) {
        return switch (kind) {
            case MISSING_MAPPING -> ChildError.Reason.MISSING_CHILD_MAPPING;
            case CHILD_NOT_MAPPED -> ChildError.Reason.CHILD_MAPPING_MISMATCH;
            case INVALID_NODES -> ChildError.Reason.INVALID_CHILD_MAPPING;
            case REPLICATION_MISMATCH -> ChildError.Reason.CHILD_REPLICATION_MISMATCH;
            case UNKNOWN_NODE -> ChildError.Reason.UNKNOWN_NODE;
        };
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

    @Override
    public ReplicaRole initialRole(ChildSpec spec) {
        return roleFor(spec.id(), owners(spec));
    }

    /** A replica of the child on another node Ignite still sees, from the local registry copy. */
    @Override
    public ChildRef liveRefElsewhere(String childId) {
        RegistryIndex.Entry e = hub.index.get(childId);
        if (e != null)
            for (ChildRef r : e.refs())
                if (!r.nodeId().equals(hub.localNodeId) && hub.isAlive(r.nodeId()))
                    return r;
        return null;
    }

    /** Whether a replica of the child on another node Ignite still sees is active. */
    private boolean liveActiveElsewhere(String childId) {
        RegistryIndex.Entry e = hub.index.get(childId);
        if (e != null)
            for (ChildRef r : e.refs())
                if (r.role() == ReplicaRole.ACTIVE && !r.nodeId().equals(hub.localNodeId) && hub.isAlive(r.nodeId()))
                    return true;
        return false;
    }

    @Override
    public boolean signals(ReplicaRole role) {
        return redundancy.signals(role == ReplicaRole.ACTIVE);
    }
}
