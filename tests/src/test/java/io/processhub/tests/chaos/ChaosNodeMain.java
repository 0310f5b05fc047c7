package io.processhub.tests.chaos;

import io.processhub.tests.NodeMain;
import java.nio.file.Path;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteState;
import org.apache.ignite.Ignition;

/**
 * A chaos node in a JVM of its own: {@code ChaosNodeMain <name> <portBase> <eventsFile> <jvmTag> <cutFile>}. Like
 * {@link NodeMain} (prints its ready line, stops when stdin closes) with the chaos hubs, and its children's events in
 * {@code eventsFile}. The JVM exits once its node stopped for any reason (e.g. segmented after a long SIGSTOP) other
 * than a rejoin, so a JVM that is alive runs a node or is restarting it to rejoin the cluster after a network cut.
 */
public final class ChaosNodeMain {
    /** The thread prefix of the plugin's node restart (NodeRestart): a stop on it is a rejoin, not an end. */
    private static final String REJOIN_THREAD = "processhub-rejoin-";

    private ChaosNodeMain() {
    }

    public static void main(String[] args) throws Exception {
        String name = args[0];
        ChaosEvents.open(Path.of(args[2]), args[3]);
        Ignition.addListener((igniteName, state) -> {
            // Ignite tells listeners on the thread that stops the node.
            if (name.equals(igniteName) && state != IgniteState.STARTED && !Thread.currentThread().getName().startsWith(REJOIN_THREAD))
                new Thread(() -> System.exit(0), "chaos-node-exit").start();
        });
        Ignite ignite = Ignition.start(ChaosHubs.node(name, Integer.parseInt(args[1]), Path.of(args[4])));
        System.out.println(NodeMain.READY + " " + ignite.cluster().localNode().id());
        System.out.flush();
        try {
            while (System.in.read() >= 0) {
                // Nothing to read: end of input means leave.
            }
        }
        finally {
            Ignition.stop(name, true); // the node now runs, maybe restarted by a rejoin
            System.exit(0);
        }
    }
}
