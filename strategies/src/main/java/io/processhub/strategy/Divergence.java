package io.processhub.strategy;

import java.util.List;

/**
 * The default partition tolerance: every side of a split keeps running children. After a split each side
 * restarts what it lost, so duplicates can exist until the sides are joined again.
 */
public class Divergence implements PartitionToleranceStrategy {
    private static final long serialVersionUID = 1L;

    @Override
    public boolean hasQuorum(List<String> members) {
        return true;
    }
}
