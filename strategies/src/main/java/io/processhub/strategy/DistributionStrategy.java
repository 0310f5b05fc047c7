package io.processhub.strategy;

import java.util.Collection;
import java.util.List;

/**
 * Decides which hub members own a child. Implementations are pure functions of the member list (and, for a
 * {@link #usesChildMapping() guided} strategy, of the nodes the start request named for the child): every node that sees the
 * same members computes the same placement.
 */
public interface DistributionStrategy extends Strategy {
    /**
     * Builds the placement for one membership.
     *
     * @param members consistent ids of the hub members, in any order; never empty.
     */
    Placement placement(List<String> members);

    /**
     * Whether the caller names each child's nodes in the start request (a child mapping, see {@link Guided}): then the
     * plugin keeps each child's mapped nodes with its spec, hands them to {@link Placement#owners(String, List, int)},
     * and checks them at start with {@link #checkMapping}. (Not a JavaBean getter on purpose: it is no setting.)
     */
    default boolean usesChildMapping() {
        return false;
    }

    /**
     * Why the nodes a start request names for a child cannot be used, or null if they can. Only guided strategies
     * check anything.
     *
     * @param mappedNodes the child's entry of the child mapping: null if the request has no mapping at all, empty if
     *     the mapping has no entry for this child
     * @param copies how many replicas of the child the hub runs now
     * @param members consistent ids of the hub members
     */
    default MappingProblem checkMapping(String childId, List<String> mappedNodes, int copies, Collection<String> members) {
        return null;
    }
}
