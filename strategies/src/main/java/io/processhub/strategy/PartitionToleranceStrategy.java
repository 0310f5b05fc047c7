package io.processhub.strategy;

import java.util.List;

/** Decides whether the members a node can see may run children (quorum). */
public interface PartitionToleranceStrategy extends Strategy {
    /**
     * @param members consistent ids of the hub members this node currently sees, itself included.
     * @return {@code true} if this side of the cluster may run children.
     */
    boolean hasQuorum(List<String> members);
}
