package io.processhub.strategy;

/** Decides how many copies of a child run, which of them are active, and which are told their role. */
public interface RedundancyStrategy extends Strategy {
    /** Number of replicas of each child for a hub of {@code memberCount} members (at least 1, at most memberCount). */
    int copies(int memberCount);

    /**
     * Whether every replica is active. Otherwise only the replica on the first owner is active and the
     * others are passive standbys.
     */
    boolean allActive();

    /**
     * Whether a replica should be active now. The default: every replica if {@link #allActive()}; otherwise the
     * one on the first owner, once no other replica is active (a promotion waits for the demotion, so two are
     * never active at once), and make before break: an active replica that is no longer on the first owner stays
     * active until the first owner runs its replica.
     *
     * @param ownerIndex position of the replica's node among the child's owners (0: the first owner; -1: none).
     * @param activeNow whether the replica is active now.
     * @param activeElsewhere whether a replica of the child on another live node is active.
     * @param firstOwnerRuns whether the first owner (another node) runs a live replica of the child.
     */
    default boolean active(int ownerIndex, boolean activeNow, boolean activeElsewhere, boolean firstOwnerRuns) {
        if (allActive())
            return true;
        if (ownerIndex == 0)
            return activeNow || !activeElsewhere;
        return activeNow && !firstOwnerRuns;
    }

    /** Whether a replica that becomes active ({@code active}) or passive is told so. */
    boolean signals(boolean active);
}
