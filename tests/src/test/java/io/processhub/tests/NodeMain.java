package io.processhub.tests;

import io.processhub.CheckpointConfiguration;
import io.processhub.HubConfiguration;
import io.processhub.examples.LocalNode;
import io.processhub.strategy.HotSwap;
import io.processhub.strategy.Replication;
import java.util.Arrays;
import org.apache.ignite.Ignite;
import org.apache.ignite.Ignition;

/**
 * A server node in a JVM of its own, for multi-JVM tests: {@code NodeMain <name> <portBase> <hub>...}, each hub
 * as {@link #hub} reads it.
 * Prints {@link #READY} and the node id once the node has joined, then runs until its stdin closes (the
 * test JVM ended or closed it) or it is killed.
 */
public final class NodeMain {
    public static final String READY = "PROCESSHUB-NODE-READY";

    private NodeMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: NodeMain <name> <portBase> <hubId>...");
            System.exit(2);
        }
        String name = args[0];
        int portBase = Integer.parseInt(args[1]);
        HubConfiguration[] hubs = Arrays.stream(args, 2, args.length).map(NodeMain::hub).toArray(HubConfiguration[]::new);
        Ignite ignite = Ignition.start(LocalNode.config(name, portBase, hubs));
        System.out.println(READY + " " + ignite.cluster().localNode().id());
        System.out.flush();
        try {
            while (System.in.read() >= 0) {
                // Nothing to read: end of input means the test is over.
            }
        }
        finally {
            ignite.close();
            System.exit(0);
        }
    }

    /**
     * A hub argument: {@code <hubId>[:checkpoints][:hotswap][:ap]} (checkpoints on demand, HotSwap migration,
     * {@code Replication} ACTIVE_PASSIVE with 2 copies).
     */
    public static HubConfiguration hub(String arg) {
        String[] parts = arg.split(":");
        HubConfiguration cfg = new HubConfiguration(parts[0]);
        for (int i = 1; i < parts.length; i++) {
            if (parts[i].equals("checkpoints"))
                cfg.setCheckpoints(new CheckpointConfiguration().setEnabled(true));
            else if (parts[i].equals("hotswap"))
                cfg.setMigrationStrategy(new HotSwap());
            else if (parts[i].equals("ap")) {
                Replication ap = new Replication();
                ap.setReplicationFactor(2);
                ap.setReplicationModel(Replication.ReplicationModel.ACTIVE_PASSIVE);
                cfg.setRedundancyStrategy(ap);
            }
            else
                throw new IllegalArgumentException("unknown hub option " + parts[i] + " in " + arg);
        }
        return cfg;
    }
}
