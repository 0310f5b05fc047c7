package io.processhub.tests;

import io.processhub.strategy.Replication;

/** Replication strategies the tests configure again and again. */
public final class Replicas {
    private Replicas() {
    }

    /** ACTIVE_PASSIVE with {@code factor} copies, every replica told its role. */
    public static Replication activePassive(int factor) {
        Replication ap = new Replication();
        ap.setReplicationFactor(factor);
        ap.setReplicationModel(Replication.ReplicationModel.ACTIVE_PASSIVE);
        ap.setRedundancySignal(Replication.RedundancySignal.ALL);
        return ap;
    }
}
