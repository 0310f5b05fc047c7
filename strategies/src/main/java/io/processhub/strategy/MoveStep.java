package io.processhub.strategy;

/** What a replica on a node that no longer owns its child does now (see {@link MigrationStrategy#moveStep}). */
public enum MoveStep {
    /** Stop it now, without handing anything over. */
    STOP_NOW,
    /** Keep it running: the new first owner does not run its replica yet. */
    WAIT,
    /** Hand its state over to the new first owner (which runs its replica), then stop it. */
    HAND_OVER
}
