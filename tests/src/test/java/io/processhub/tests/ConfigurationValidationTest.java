package io.processhub.tests;

import io.processhub.CheckpointConfiguration;
import io.processhub.ChildMapping;
import io.processhub.ChildSpec;
import io.processhub.HubConfiguration;
import io.processhub.examples.CounterChild;
import io.processhub.examples.LocalNode;
import io.processhub.strategy.ConsistentHashing;
import io.processhub.strategy.Guided;
import io.processhub.strategy.PubSub;
import io.processhub.strategy.StaticQuorum;
import java.util.List;
import org.apache.ignite.Ignition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A node whose hub configuration cannot work refuses to start, and says which setting is wrong. */
class ConfigurationValidationTest {
    @AfterEach
    void noNodeLeftRunning() {
        assertTrue(Ignition.allGrids().isEmpty(), "a node with a bad configuration must not be running");
    }

    private static void assertRefused(String expectedInMessage, HubConfiguration... hubs) {
        Exception e = assertThrows(Exception.class, () -> Ignition.start(LocalNode.config("bad", TestCluster.PORT_BASE, hubs)));
        StringBuilder messages = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause())
            messages.append(t.getMessage()).append('\n');
        assertTrue(messages.toString().contains(expectedInMessage),
            "expected the error to name '" + expectedInMessage + "' but got:\n" + messages);
    }

    @Test
    void blankHubId() {
        assertRefused("hubs[0].hubId must not be null or blank", new HubConfiguration(" "));
        assertRefused("hubs[0].hubId must not be null or blank", new HubConfiguration());
    }

    @Test
    void duplicateHubId() {
        assertRefused("hubs[1].hubId 'orders' is configured twice", new HubConfiguration("orders"), new HubConfiguration("orders"));
    }

    @Test
    void hubIdThatCannotNameACache() {
        assertRefused("hubs[0].hubId 'a/b' may only hold", new HubConfiguration("a/b"));
    }

    @Test
    void impossibleStrategySettings() {
        ConsistentHashing ring = new ConsistentHashing();
        ring.setPartitions(0);
        assertRefused("hub 'orders'.distributionStrategy.ConsistentHashing.partitions: must be between 1 and 65000",
            new HubConfiguration("orders").setDistributionStrategy(ring));

        PubSub sync = new PubSub();
        sync.setSyncInterval(0);
        assertRefused("hub 'orders'.synchronizationStrategy.PubSub.syncInterval", new HubConfiguration("orders").setSynchronizationStrategy(sync));

        assertRefused("hub 'orders'.distributionStrategy must not be null", new HubConfiguration("orders").setDistributionStrategy(null));

        StaticQuorum quorum = new StaticQuorum();
        quorum.setQuorumSize(0);
        assertRefused("hub 'orders'.partitionToleranceStrategy.StaticQuorum.quorumSize: must be at least 1",
            new HubConfiguration("orders").setPartitionToleranceStrategy(quorum));
    }

    @Test
    void impossibleSupervisorSettings() {
        assertRefused("hub 'orders'.maxRestarts must not be negative", new HubConfiguration("orders").setMaxRestarts(-1));
        assertRefused("hub 'orders'.maxRestartsWindow must be positive", new HubConfiguration("orders").setMaxRestartsWindow(0));
    }

    @Test
    void impossibleCheckpointSettings() {
        assertRefused("hub 'orders'.checkpoints.backups must be at least 1", new HubConfiguration("orders")
            .setCheckpoints(new CheckpointConfiguration().setEnabled(true).setBackups(0)));
        assertRefused("hub 'orders'.checkpoints.interval must not be negative", new HubConfiguration("orders")
            .setCheckpoints(new CheckpointConfiguration().setEnabled(true).setInterval(-1)));
        assertRefused("hub 'orders'.checkpoints must not be null", new HubConfiguration("orders").setCheckpoints(null));
    }

    @Test
    void badStaticChildren() {
        assertRefused("hub 'orders'.staticChildren[1]: the id x appears twice", new HubConfiguration("orders")
            .setStaticChildren(List.of(ChildSpec.of("x", CounterChild.class), ChildSpec.of("x", CounterChild.class))));
        assertRefused("hub 'orders'.staticChildren[0]: child id must not be null or blank", new HubConfiguration("orders")
            .setStaticChildren(List.of(ChildSpec.of("", CounterChild.class))));
        // A guided hub cannot place a static child that names no node.
        assertRefused("hub 'devices'.staticChildren[1]: the hub's distribution is guided: name the child's node(s) in its metadata, key processhub.nodes",
            new HubConfiguration("devices").setDistributionStrategy(new Guided()).setStaticChildren(List.of(
                ChildSpec.of("mapped", CounterChild.class).withMetadata(ChildMapping.METADATA_KEY, "bad"),
                ChildSpec.of("unmapped", CounterChild.class))));
    }
}
