package io.processhub.strategy;

/**
 * Migration without a gap: the new owner starts the child (as a passive replica) while the old owner still
 * runs it; the old instance then hands its state over ({@link #isHandover() handover}), stops, and the new
 * one becomes active. A node that leaves gracefully hands its children's state to their new owners too.
 * The old instance waits at most {@link #getRetention() retention} ms for the new owner to take the state.
 */
public class HotSwap implements MigrationStrategy {
    private static final long serialVersionUID = 1L;

    private boolean handover = true;
    private long retention = 5_000;

    public boolean isHandover() {
        return handover;
    }

    public void setHandover(boolean handover) {
        this.handover = handover;
    }

    public long getRetention() {
        return retention;
    }

    public void setRetention(long retention) {
        this.retention = retention;
    }

    @Override
    public boolean startBeforeStop() {
        return true;
    }

    @Override
    public boolean handover() {
        return handover;
    }

    @Override
    public long retentionMillis() {
        return retention;
    }

    @Override
    public void validate() {
        if (retention < 1)
            throw new InvalidStrategyException("HotSwap.retention", "must be at least 1 ms, was " + retention);
    }
}
