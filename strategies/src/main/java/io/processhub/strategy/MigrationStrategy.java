package io.processhub.strategy;

/** Decides how a child moves when its owner changes. */
public interface MigrationStrategy extends Strategy {
    /**
     * Whether the new owner starts the child while the old owner still runs it (the old one stops once the
     * new one runs, after handing its state over). {@code false}: stop first, then start.
     */
    boolean startBeforeStop();

    /** Whether the old instance hands its state to the new one (children implementing StatefulChild). */
    default boolean handover() {
        return false;
    }

    /** Milliseconds the old instance waits for the new owner to take its state before stopping anyway. */
    default long retentionMillis() {
        return 0;
    }

    /**
     * Whether an owner may start its replica while a replica still runs on a node that no longer owns the child
     * ({@code movingReplicaRuns}). The default: only if the new one starts before the old one stops.
     */
    default boolean mayStart(boolean movingReplicaRuns) {
        return startBeforeStop() || !movingReplicaRuns;
    }

    /**
     * What a replica on a node that no longer owns its child does now. The default: stop first unless
     * {@link #startBeforeStop()}; otherwise the replica holding the child's live state waits for the new first
     * owner to run its replica and then hands its state over. That replica is the active one, or, whatever its
     * role, one that received the state by a handover and was not promoted yet, or one no active replica exists
     * beside; any other (a standby) stops now.
     *
     * @param active whether the replica is active.
     * @param stateHandedIn whether it received the child's state by a handover since it started.
     * @param activeElsewhere whether a replica of the child on another live node is active.
     * @param newOwnerRuns whether the child's first owner runs its replica.
     */
    default MoveStep moveStep(boolean active, boolean stateHandedIn, boolean activeElsewhere, boolean newOwnerRuns) {
        if (!startBeforeStop())
            return MoveStep.STOP_NOW;
        if (!active && !stateHandedIn && activeElsewhere)
            return MoveStep.STOP_NOW;
        return newOwnerRuns ? MoveStep.HAND_OVER : MoveStep.WAIT;
    }
}
