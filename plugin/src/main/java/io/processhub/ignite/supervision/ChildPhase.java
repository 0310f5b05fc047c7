package io.processhub.ignite.supervision;

/**
 * Where one local child is in its life on this node. The supervisor owns the phase; everything else only
 * reads it (through {@link LocalChild}).
 * <ul>
 * <li>{@code STARTING}: its cell exists, its first instance is being created and started;</li>
 * <li>{@code RUNNING}: an instance runs and handles messages;</li>
 * <li>{@code MOVING_OUT}: it no longer belongs here and is being handed over or stopped as migrated;</li>
 * <li>{@code STOPPING}: a stop (requested, exit, crash beyond the restart intensity) is under way;</li>
 * <li>{@code RETIRED}: stopped for good by this node, which removed its spec; kept as a tombstone until the
 * removal is seen, so a late registration does not start it again;</li>
 * <li>{@code DEAD}: no instance, nothing pending.</li>
 * </ul>
 */
public enum ChildPhase {
    STARTING, RUNNING, MOVING_OUT, STOPPING, RETIRED, DEAD
}
