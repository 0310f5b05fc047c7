package io.processhub.strategy;

import java.util.List;

/**
 * Decides which hub members own a child. Implementations are pure functions of the member list: every
 * node that sees the same members computes the same placement.
 */
public interface DistributionStrategy extends Strategy {
    /**
     * Builds the placement for one membership.
     *
     * @param members consistent ids of the hub members, in any order; never empty.
     */
    Placement placement(List<String> members);
}
