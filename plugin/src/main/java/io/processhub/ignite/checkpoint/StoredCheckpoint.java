package io.processhub.ignite.checkpoint;

/**
 * A child's last checkpoint as read from the store: its state and version, and the fence of its entry (the highest
 * epoch an instance of the child claimed). An instance whose state includes the one of that fence holds nothing older
 * than the checkpoint; one that knows only a lower fence does (another instance moved the child on since).
 */
public final class StoredCheckpoint {
    /** The state; null if this node cannot read it. */
    public final Object state;
    public final CheckpointVersion version;
    public final long fence;

    public StoredCheckpoint(Object state, CheckpointVersion version, long fence) {
        this.state = state;
        this.version = version;
        this.fence = fence;
    }

    @Override
    public String toString() {
        return "StoredCheckpoint[fence=" + fence + ", version=" + version + ", state=" + state + "]";
    }
}
