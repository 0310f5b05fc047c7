package io.processhub.tests.chaos;

import io.processhub.CheckpointConfiguration;
import io.processhub.HubConfiguration;
import io.processhub.ProcessHubPluginProvider;
import io.processhub.RejoinConfiguration;
import io.processhub.strategy.Replication;
import io.processhub.strategy.StaticQuorum;
import io.processhub.tests.NetworkCut;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.apache.ignite.configuration.IgniteConfiguration;

/**
 * The hubs every node of a chaos run runs: one singleton hub and one ACTIVE_PASSIVE hub with two replicas, both
 * under {@link StaticQuorum} 3 (of the five nodes), the singleton hub with checkpoints; and the node configuration around them: the
 * ports and SPIs of a {@link NetworkCut} shared through a file, and rejoin after a split heals.
 */
final class ChaosHubs {
    static final String SINGLE = "chaos-one";
    static final String ACTIVE_PASSIVE = "chaos-ap";
    static final int COPIES = 2;
    static final int QUORUM = 3;
    static final Set<String> REPLICATED = Set.of(ACTIVE_PASSIVE);
    /** Hubs whose children checkpoint: both (a passive replica promoted after its active one went restores the checkpoint). */
    static final Set<String> CHECKPOINTED = Set.of(SINGLE, ACTIVE_PASSIVE);
    /**
     * Copies of a checkpoint beyond the owner's: two, because a network cut takes up to two nodes off at once (with
     * one, a child whose owner and backup were both cut off restarts on the other side without its checkpoint).
     */
    static final int CHECKPOINT_BACKUPS = 2;
    /** Every node of the run, in the order of their fixed ports. */
    static final List<String> NODES = List.of("a", "b", "c", "j1", "j2");
    /** How often a node without quorum pings its former members once cut off. */
    static final long REJOIN_PROBE_MS = 500;

    private ChaosHubs() {
    }

    /** Fresh hub configurations for one node. */
    static HubConfiguration[] configs() {
        Replication replication = new Replication();
        replication.setReplicationFactor(COPIES);
        replication.setReplicationModel(Replication.ReplicationModel.ACTIVE_PASSIVE);
        replication.setRedundancySignal(Replication.RedundancySignal.ALL);
        return new HubConfiguration[] {
            hub(SINGLE),
            hub(ACTIVE_PASSIVE).setRedundancyStrategy(replication)
        };
    }

    private static HubConfiguration hub(String id) {
        StaticQuorum quorum = new StaticQuorum();
        quorum.setQuorumSize(QUORUM);
        return new HubConfiguration(id).setPartitionToleranceStrategy(quorum)
            .setCheckpoints(new CheckpointConfiguration().setEnabled(ChaosCheckpoints.ENABLED && CHECKPOINTED.contains(id))
                .setBackups(CHECKPOINT_BACKUPS));
    }

    /** A fresh configuration of node {@code name}: also what it restarts from when it rejoins. */
    static IgniteConfiguration node(String name, int portBase, Path cutFile) {
        IgniteConfiguration cfg = NetworkCut.shared(NODES, portBase, cutFile).config(name, configs());
        ((ProcessHubPluginProvider)cfg.getPluginProviders()[0]).setRejoin(new RejoinConfiguration().setEnabled(true)
            .setProbeIntervalMillis(REJOIN_PROBE_MS).setConfigurationFactory(() -> node(name, portBase, cutFile)));
        return cfg;
    }
}
