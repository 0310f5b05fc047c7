package io.processhub;

/**
 * Crash-safe state of a hub's {@link StatefulChild}ren (off by default): when enabled, a child's
 * {@link StatefulChild#handoverState()} can be stored as a checkpoint, by {@link ChildContext#checkpoint()} and/or
 * every {@link #getInterval() interval}, in a partitioned cache of the hub ({@code processhub-checkpoints-<hubId>})
 * placed on the hub's ring, with {@link #getBackups() backups} on the child's next owners. When a child's node
 * crashes, its new owner (a backup of the checkpoint) restores the last checkpoint. A JavaBean, set as
 * {@code HubConfiguration.checkpoints} in Spring XML.
 */
public class CheckpointConfiguration {
    private boolean enabled;
    private int backups = 1;
    private long interval;

    public CheckpointConfiguration() {
    }

    /** Whether the hub keeps checkpoints (default false: no cache is created, {@code checkpoint()} fails). */
    public boolean isEnabled() {
        return enabled;
    }

    public CheckpointConfiguration setEnabled(boolean enabled) {
        this.enabled = enabled;
        return this;
    }

    /**
     * Copies of each checkpoint beyond the one on the child's owner, on its next owners on the ring (default 1; at
     * least 1: with none a crash loses the checkpoints of the crashed node's children with it).
     */
    public int getBackups() {
        return backups;
    }

    public CheckpointConfiguration setBackups(int backups) {
        this.backups = backups;
        return this;
    }

    /**
     * Milliseconds between two checkpoints of every active stateful child of a node (default 0: only on demand,
     * by {@link ChildContext#checkpoint()}).
     */
    public long getInterval() {
        return interval;
    }

    public CheckpointConfiguration setInterval(long interval) {
        this.interval = interval;
        return this;
    }
}
