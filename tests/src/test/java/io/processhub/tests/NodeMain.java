package io.processhub.tests;

import io.processhub.HubConfiguration;
import io.processhub.examples.LocalNode;
import java.util.Arrays;
import org.apache.ignite.Ignite;
import org.apache.ignite.Ignition;

/**
 * A server node in a JVM of its own, for multi-JVM tests: {@code NodeMain <name> <portBase> <hubId>...}.
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
        HubConfiguration[] hubs = Arrays.stream(args, 2, args.length).map(HubConfiguration::new).toArray(HubConfiguration[]::new);
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
}
