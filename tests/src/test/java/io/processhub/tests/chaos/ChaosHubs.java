package io.processhub.tests.chaos;

import io.processhub.HubConfiguration;
import io.processhub.strategy.Replication;
import java.util.Set;

/** The hubs every node of a chaos run runs: one singleton hub and one ACTIVE_PASSIVE hub with two replicas. */
final class ChaosHubs {
    static final String SINGLE = "chaos-one";
    static final String ACTIVE_PASSIVE = "chaos-ap";
    static final int COPIES = 2;
    static final Set<String> REPLICATED = Set.of(ACTIVE_PASSIVE);

    private ChaosHubs() {
    }

    /** Fresh configurations for one node. A network-cut fault would add its partition strategy here (see RELIABILITY.md). */
    static HubConfiguration[] configs() {
        Replication replication = new Replication();
        replication.setReplicationFactor(COPIES);
        replication.setReplicationModel(Replication.ReplicationModel.ACTIVE_PASSIVE);
        replication.setRedundancySignal(Replication.RedundancySignal.ALL);
        return new HubConfiguration[] {
            new HubConfiguration(SINGLE),
            new HubConfiguration(ACTIVE_PASSIVE).setRedundancyStrategy(replication)
        };
    }
}
