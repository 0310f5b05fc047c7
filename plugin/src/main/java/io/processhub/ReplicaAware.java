package io.processhub;

/**
 * A child that wants to know its replica role (the redundancy signal): called after it starts and whenever
 * its role changes, as the {@code Replication} strategy's {@code redundancySignal} allows.
 */
public interface ReplicaAware extends ChildProcess {
    /** Runs on the child's mailbox, like {@code handle}. */
    void onRoleChange(ReplicaRole role);
}
