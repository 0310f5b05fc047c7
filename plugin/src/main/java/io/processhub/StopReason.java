package io.processhub;

/** Why {@link ChildProcess#stop(StopReason)} is called. */
public enum StopReason {
    /** {@code stopChild} was called. */
    REQUESTED,
    /** The child's owner changed; it is started again on its new owner. */
    MIGRATED,
    /** The node or the hub is shutting down. */
    SHUTDOWN,
    /** The child called {@link ChildContext#exit()}. */
    EXIT,
    /** This side of a network split lost quorum; the child runs again when quorum is back. */
    PARTITIONED,
    /** The child crashed too often within the restart intensity and is given up. */
    RESTART_LIMIT
}
