package io.processhub.strategy;

/**
 * The default partition tolerance: every side of a split keeps running children. After a split each side
 * restarts what it lost, so duplicates can exist until the sides are joined again.
 */
public class Divergence implements PartitionToleranceStrategy {
    private static final long serialVersionUID = 1L;

    @Override
    public Quorum newQuorum() {
        return (members, now) -> true;
    }
}
