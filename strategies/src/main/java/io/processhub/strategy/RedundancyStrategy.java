package io.processhub.strategy;

/** Decides how many copies of a child run and which one is active. */
public interface RedundancyStrategy extends Strategy {
    /** Number of replicas of each child for a hub of {@code memberCount} members (at least 1). */
    int copies(int memberCount);
}
