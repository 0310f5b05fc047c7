package io.processhub.ignite.transport;

import io.processhub.ignite.HubContext;
import io.processhub.ignite.reconcile.Placements;
import io.processhub.ignite.registry.RegistryIndex;
import io.processhub.ignite.supervision.NotActiveReplicaException;

import io.processhub.ChildRef;
import io.processhub.NoSuchChildException;
import io.processhub.ReplicaRole;
import java.util.List;
import java.util.UUID;
import org.apache.ignite.cluster.ClusterNode;

/**
 * Where a child lives, as this node's registry copy and membership say: for messages that missed it. A child that
 * moves (HotSwap, ColdSwap, a node leaving) is for a moment on no node that takes messages; a message that reaches
 * the wrong node then is misrouted, not sent to a child that does not exist.
 */
public final class ChildWhereabouts {
    private final HubContext hub;
    private final Placements placements;

    public ChildWhereabouts(HubContext hub, Placements placements) {
        this.hub = hub;
        this.placements = placements;
    }

    /**
     * Whether the child is registered and has an owner among the members: a message that missed it can still reach
     * it. False for a child stopped (once the removal of its spec is seen here) or whose nodes have all left (guided).
     */
    public boolean livesOn(String childId) {
        RegistryIndex.Entry e = childId == null ? null : hub.index.get(childId);
        return e != null && e.hasSpec() && !placements.owners(e.spec()).isEmpty();
    }

    /**
     * The refusal a sender sees for a message this node's supervisor refused: a child that lives on elsewhere turns
     * "not here" into {@link NotActiveReplicaException}, which makes the sender look it up again.
     */
    public Throwable refusal(String childId, Throwable err) {
        if (err instanceof NoSuchChildException && !(err instanceof NotActiveReplicaException) && livesOn(childId))
            return new NotActiveReplicaException(err.getMessage() + "; it runs elsewhere (or is about to)");
        return err;
    }

    /**
     * Where a message for the child goes from this node: its active replica on a live node (not this one when
     * {@code notHere}), else its first owner. Null if neither is known.
     */
    public UUID route(String childId, boolean notHere) {
        RegistryIndex.Entry e = childId == null ? null : hub.index.get(childId);
        if (e != null)
            for (int i = 0; i < e.refCount(); i++) {
                UUID node = e.nodeIdAt(i);
                if (e.roleAt(i) == ReplicaRole.ACTIVE && hub.isAlive(node) && !(notHere && node.equals(hub.localNodeId)))
                    return node;
            }
        List<ClusterNode> owners = e != null && e.hasSpec() ? placements.owners(e.spec()) : childId == null ? List.of()
            : placements.owners(childId);
        return owners.isEmpty() ? null : owners.get(0).id();
    }
}
