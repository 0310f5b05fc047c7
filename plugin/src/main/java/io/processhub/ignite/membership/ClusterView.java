package io.processhub.ignite.membership;

import java.util.Set;
import java.util.UUID;

/**
 * This node's view of one hub's cluster: the current membership, the quorum verdict on it, and whether a
 * membership change is being handled. Changed on the hub loop only (in topology order), read from any thread.
 */
public final class ClusterView {
    private volatile Membership membership;
    private volatile boolean partitioned;
    private volatile boolean locked;
    /** Ids of the nodes being drained cluster-wide (members or not: see Membership); empty if none. */
    private volatile Set<UUID> drainingIds = Set.of();

    /** The current membership; null only while the hub opens. */
    public Membership membership() {
        return membership;
    }

    public void setMembership(Membership membership) {
        this.membership = membership;
    }

    /** Whether the partition strategy denied this side quorum at the current membership. */
    public boolean isPartitioned() {
        return partitioned;
    }

    public void setPartitioned(boolean partitioned) {
        this.partitioned = partitioned;
    }

    /** Whether the loop is handling a membership change (ProcessHub's priority lock). */
    public boolean isLocked() {
        return locked;
    }

    public void setLocked(boolean locked) {
        this.locked = locked;
    }

    /** Ids of the nodes being drained, as this node last read them; the membership uses them for placement. */
    public Set<UUID> drainingIds() {
        return drainingIds;
    }

    public void setDrainingIds(Set<UUID> drainingIds) {
        this.drainingIds = drainingIds;
    }
}
