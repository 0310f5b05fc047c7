package io.processhub.ignite.supervision;

/**
 * Where one local child is in its life on this node. The supervisor owns the phase and changes it only through
 * {@link ChildLifecycle#move}; everything else only reads it (through {@link LocalChild}).
 * <ul>
 * <li>{@code STARTING}: its cell exists, its first instance is being created and started;</li>
 * <li>{@code RUNNING}: an instance runs and handles messages (a restart in place keeps the phase);</li>
 * <li>{@code MOVING_OUT}: it no longer belongs here; its instance runs until it is handed over or stopped as
 * migrated;</li>
 * <li>{@code STOPPING}: a stop was requested; its instance runs until the stop reaches its mailbox;</li>
 * <li>{@code DEAD}: no instance any more (stopped, start failed, exited, crashed beyond the restart intensity);
 * the cell is about to be removed or retired;</li>
 * <li>{@code RETIRED}: a tombstone: this node removed the child's spec, and keeps the id until the removal is
 * seen, so a late registration does not start it again.</li>
 * </ul>
 */
public enum ChildPhase {
    STARTING, RUNNING, MOVING_OUT, STOPPING, DEAD, RETIRED;

    /** Whether a child in this phase may still have an instance (it runs until its stop reaches the mailbox). */
    public boolean isLive() {
        return this == RUNNING || this == MOVING_OUT || this == STOPPING;
    }
}
