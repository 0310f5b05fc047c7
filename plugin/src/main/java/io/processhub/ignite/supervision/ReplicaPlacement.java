package io.processhub.ignite.supervision;

import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import io.processhub.ReplicaRole;

/** What the supervisor asks about a child's replicas across the hub (answered from membership and the registry copy). */
public interface ReplicaPlacement {
    /** How many replicas each child has at the current membership. */
    int copies();

    /** The role a replica started here now should have (the spec: a guided child's owners follow its mapped nodes). */
    ReplicaRole initialRole(ChildSpec spec);

    /** Whether a replica with this role is told its role ({@code ReplicaAware.onRoleChange}). */
    boolean signals(ReplicaRole role);

    /** A replica of the child on another node that is still alive, or null. */
    ChildRef liveRefElsewhere(String childId);
}
