package io.processhub.strategy;

import java.util.List;

/**
 * The quorum verdicts of one hub on one node. A strategy makes one per hub per node ({@link
 * PartitionToleranceStrategy#newQuorum()}); verdicts may depend on the memberships seen before (the largest
 * cluster seen, the nodes lost recently), which this object remembers. Called from one thread at a time.
 */
public interface Quorum {
    /**
     * @param members consistent ids of the hub members this node sees now, itself included
     * @param nowMillis the current time, in milliseconds since the epoch
     * @return whether this side of the cluster may run children
     */
    boolean hasQuorum(List<String> members, long nowMillis);

    /**
     * Tells the quorum the intended cluster size changed (an operator scaled the cluster down on purpose).
     * Only quorums that remember a cluster size use it.
     *
     * @throws UnsupportedOperationException if this quorum has no cluster size to reset
     */
    default void resetClusterSize(int size) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no cluster size to reset");
    }
}
