package io.processhub.tests.chaos;

import io.processhub.examples.LocalNode;
import io.processhub.tests.NodeMain;
import java.nio.file.Path;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteState;
import org.apache.ignite.Ignition;

/**
 * A chaos node in a JVM of its own: {@code ChaosNodeMain <name> <portBase> <eventsFile> <jvmTag>}. Like {@link NodeMain}
 * (prints its ready line, stops when stdin closes) with the chaos hubs, and its children's events in
 * {@code eventsFile}. The JVM exits once its node stopped for any reason (e.g. segmented after a long SIGSTOP), so a
 * JVM that is alive runs a node.
 */
public final class ChaosNodeMain {
    private ChaosNodeMain() {
    }

    public static void main(String[] args) throws Exception {
        String name = args[0];
        ChaosEvents.open(Path.of(args[2]), args[3]);
        Ignition.addListener((igniteName, state) -> {
            if (name.equals(igniteName) && state != IgniteState.STARTED)
                new Thread(() -> System.exit(0), "chaos-node-exit").start();
        });
        Ignite ignite = Ignition.start(LocalNode.config(name, Integer.parseInt(args[1]), ChaosHubs.configs()));
        System.out.println(NodeMain.READY + " " + ignite.cluster().localNode().id());
        System.out.flush();
        try {
            while (System.in.read() >= 0) {
                // Nothing to read: end of input means leave.
            }
        }
        finally {
            ignite.close();
            System.exit(0);
        }
    }
}
