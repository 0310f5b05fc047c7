package io.processhub.examples;

import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import io.processhub.HubConfiguration;
import io.processhub.NoSuchChildException;
import io.processhub.StartOptions;
import io.processhub.StartResult;
import io.processhub.StopResult;
import io.processhub.client.ProcessHubClient;
import io.processhub.client.RemoteHub;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.ignite.Ignition;
import org.apache.ignite.client.IgniteClient;
import org.apache.ignite.configuration.ClientConfiguration;

/**
 * A thin client drives a hub: an embedded 3-node cluster runs hub {@code "orders"}, and an Ignite thin client
 * (only {@code ignite-core} and ProcessHub's client classes needed) starts counter children by class name, calls
 * and casts to them, sees a typed error, and stops them.
 *
 * <p>Run with {@code mvn -q -pl examples -am compile exec:exec@demo -Ddemo.mainClass=io.processhub.examples.ThinClientExample}.
 */
public final class ThinClientExample {
    private static final String HUB = "orders";
    private static final int CHILDREN = 6;
    /** Its own port base, so it never meets the demo cluster: thin clients connect at 47620..47629. */
    private static final int PORT_BASE = 47600;
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private ThinClientExample() {
    }

    /** Runs the steps, stops the cluster and exits 0 (a failed step throws and exits non-zero). */
    public static void main(String[] args) throws Exception {
        System.setProperty("IGNITE_QUIET", "false");
        try {
            run();
        }
        finally {
            Ignition.stopAll(true);
        }
        System.exit(0);
    }

    private static void run() throws Exception {
        step("1. Start a 3-node cluster running hub '" + HUB + "' (thin clients on 127.0.0.1:"
            + (PORT_BASE + 20) + ".." + (PORT_BASE + 29) + ")");
        for (String n : List.of("node-a", "node-b", "node-c"))
            Ignition.start(LocalNode.config(n, PORT_BASE, new HubConfiguration(HUB)));

        step("2. Connect a thin client and start " + CHILDREN + " counters by class name");
        ClientConfiguration cfg = new ClientConfiguration().setAddresses("127.0.0.1:" + (PORT_BASE + 20) + ".." + (PORT_BASE + 29));
        try (IgniteClient client = Ignition.startClient(cfg); ProcessHubClient processHubs = ProcessHubClient.of(client)) {
            RemoteHub hub = processHubs.hub(HUB);
            System.out.println("   hub members: " + hub.nodes());
            List<ChildSpec> specs = new ArrayList<>();
            for (int i = 1; i <= CHILDREN; i++)
                specs.add(ChildSpec.of("order-" + i, "io.processhub.examples.CounterChild"));
            StartResult started = hub.startChildren(specs, StartOptions.defaults().metadata(Map.of("tag", "demo"))).get();
            System.out.printf("   started %d, errors %s%n", started.started().size(), started.errors());

            step("3. Call each child i times (and cast one more 'inc' to the last), then read the counts");
            for (int i = 1; i <= CHILDREN; i++)
                for (int k = 0; k < i; k++)
                    hub.call("order-" + i, "inc", TIMEOUT).get();
            hub.cast("order-" + CHILDREN, "inc");
            printTable(hub);

            step("4. Errors are typed on the client too");
            StartResult again = hub.startChild(ChildSpec.of("order-1", "io.processhub.examples.CounterChild")).get();
            System.out.println("   starting order-1 again: " + again.errors().get(0).reason() + ", running ref "
                + again.errors().get(0).existing());
            try {
                hub.call("order-404", "get", TIMEOUT).get();
            }
            catch (ExecutionException e) {
                System.out.println("   call to order-404: " + e.getCause().getClass().getSimpleName() + " - "
                    + e.getCause().getMessage());
                if (!(e.getCause() instanceof NoSuchChildException))
                    throw e;
            }

            step("5. Stop them all through the client");
            List<String> ids = new ArrayList<>();
            specs.forEach(s -> ids.add(s.id()));
            StopResult stopped = hub.stopChildren(ids, null).get();
            System.out.printf("   stopped %d, errors %s%n", stopped.stopped().size(), stopped.errors());
        }
        step("Done");
    }

    private static void printTable(RemoteHub hub) throws Exception {
        System.out.println("   +----------+--------+-------------+-------+");
        System.out.println("   | child    | node   | incarnation | count |");
        System.out.println("   +----------+--------+-------------+-------+");
        for (int i = 1; i <= CHILDREN; i++) {
            String id = "order-" + i;
            ChildRef ref = hub.activeRef(id).orElseThrow();
            long count = waitForCount(hub, id, i == CHILDREN ? i + 1 : i);
            System.out.printf("   | %-8s | %-6s | %11d | %5d |%n", id, ref.node(), ref.incarnation(), count);
        }
        System.out.println("   +----------+--------+-------------+-------+");
    }

    /** A cast is handled after the call returns: ask again until the count shows it (messages of a child are in order). */
    private static long waitForCount(RemoteHub hub, String id, long expected) throws Exception {
        long count = (Long)hub.call(id, "get", TIMEOUT).get();
        for (int tries = 0; count < expected && tries < 100; tries++)
            count = (Long)hub.call(id, "get", TIMEOUT).get();
        return count;
    }

    private static void step(String title) {
        System.out.println();
        System.out.println("== " + title);
    }
}
