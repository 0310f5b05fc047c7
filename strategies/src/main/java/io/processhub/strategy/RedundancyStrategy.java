package io.processhub.strategy;

/** Decides how many copies of a child run, which of them are active, and which are told their role. */
public interface RedundancyStrategy extends Strategy {
    /** Number of replicas of each child for a hub of {@code memberCount} members (at least 1, at most memberCount). */
    int copies(int memberCount);

    /**
     * Whether every replica is active. Otherwise only the replica on the first owner is active and the
     * others are passive standbys.
     */
    boolean allActive();

    /** Whether a replica that becomes active ({@code active}) or passive is told so. */
    boolean signals(boolean active);
}
