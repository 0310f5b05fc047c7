package io.processhub.ignite.supervision;

import io.processhub.ChildRef;
import io.processhub.ReplicaRole;

/** What the supervisor asks about a child's replicas across the hub (answered from membership and the registry copy). */
public interface ReplicaPlacement {
    /** How many replicas each child has at the current membership. */
    int copies();

    /** The role a replica started here now should have. */
    ReplicaRole initialRole(String childId);

    /** Whether a replica with this role is told its role ({@code ReplicaAware.onRoleChange}). */
    boolean signals(ReplicaRole role);

    /** A replica of the child on another node that is still alive, or null. */
    ChildRef liveRefElsewhere(String childId);
}
