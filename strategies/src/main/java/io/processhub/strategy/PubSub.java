package io.processhub.strategy;

/**
 * The default synchronization: every registry change is pushed to every node as it happens (the registry
 * cache's continuous query), and every {@link #getSyncInterval() syncInterval} milliseconds each node checks its
 * digest against the registry (one read per writer: is there a batch after the last one applied here?) and
 * fetches what it missed; each node also compares what it runs with what the registry says and repairs the
 * difference.
 */
public class PubSub implements SynchronizationStrategy {
    private static final long serialVersionUID = 1L;

    private long syncInterval = 15_000;

    public long getSyncInterval() {
        return syncInterval;
    }

    public void setSyncInterval(long syncInterval) {
        this.syncInterval = syncInterval;
    }

    @Override
    public long syncIntervalMillis() {
        return syncInterval;
    }

    @Override
    public void validate() {
        if (syncInterval < 10)
            throw new InvalidStrategyException("PubSub.syncInterval",
                "must be at least 10 ms, was " + syncInterval);
    }
}
