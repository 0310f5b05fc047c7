package io.processhub.strategy;

/**
 * Runs each child on several owners: the first {@link #getReplicationFactor() replicationFactor} members met
 * on the ring (or every member with {@link #isClusterSize() clusterSize}). With
 * {@link ReplicationModel#ACTIVE_PASSIVE} the replica on the first owner is active and the others are
 * passive standbys; with {@link ReplicationModel#ACTIVE_ACTIVE} all are active. Replicas are told their
 * role (ReplicaAware children) as {@link #getRedundancySignal() redundancySignal} says.
 */
public class Replication implements RedundancyStrategy {
    private static final long serialVersionUID = 1L;

    /** Whether replicas share the work or stand by. */
    public enum ReplicationModel { ACTIVE_ACTIVE, ACTIVE_PASSIVE }

    /** Which role changes a replica is told about. */
    public enum RedundancySignal { NONE, ACTIVE, PASSIVE, ALL }

    private int replicationFactor = 2;
    private boolean clusterSize;
    private ReplicationModel replicationModel = ReplicationModel.ACTIVE_ACTIVE;
    private RedundancySignal redundancySignal = RedundancySignal.NONE;

    public int getReplicationFactor() {
        return replicationFactor;
    }

    public void setReplicationFactor(int replicationFactor) {
        this.replicationFactor = replicationFactor;
    }

    /** Whether every member runs a replica (ProcessHub's {@code :cluster_size}); overrides the factor. */
    public boolean isClusterSize() {
        return clusterSize;
    }

    public void setClusterSize(boolean clusterSize) {
        this.clusterSize = clusterSize;
    }

    public ReplicationModel getReplicationModel() {
        return replicationModel;
    }

    public void setReplicationModel(ReplicationModel replicationModel) {
        this.replicationModel = replicationModel;
    }

    public RedundancySignal getRedundancySignal() {
        return redundancySignal;
    }

    public void setRedundancySignal(RedundancySignal redundancySignal) {
        this.redundancySignal = redundancySignal;
    }

    @Override
    public int copies(int memberCount) {
        return Math.max(1, clusterSize ? memberCount : Math.min(replicationFactor, memberCount));
    }

    @Override
    public boolean allActive() {
        return replicationModel == ReplicationModel.ACTIVE_ACTIVE;
    }

    @Override
    public boolean signals(boolean active) {
        switch (redundancySignal) {
            case ALL:
                return true;
            case ACTIVE:
                return active;
            case PASSIVE:
                return !active;
            default:
                return false;
        }
    }

    @Override
    public void validate() {
        if (!clusterSize && replicationFactor < 1)
            throw new InvalidStrategyException("Replication.replicationFactor", "must be at least 1, was " + replicationFactor);
        if (replicationModel == null)
            throw new InvalidStrategyException("Replication.replicationModel", "must be ACTIVE_ACTIVE or ACTIVE_PASSIVE");
        if (redundancySignal == null)
            throw new InvalidStrategyException("Replication.redundancySignal", "must be NONE, ACTIVE, PASSIVE or ALL");
    }
}
