package io.processhub.strategy;

/** Decides whether the members a node can see may run children (quorum). */
public interface PartitionToleranceStrategy extends Strategy {
    /** A fresh quorum for one hub on one node: it remembers what its verdicts need from earlier memberships. */
    Quorum newQuorum();
}
