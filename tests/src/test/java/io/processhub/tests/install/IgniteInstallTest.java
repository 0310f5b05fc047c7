package io.processhub.tests.install;

import io.processhub.ChildSpec;
import io.processhub.ProcessHubException;
import io.processhub.StartOptions;
import io.processhub.StartResult;
import io.processhub.StopOptions;
import io.processhub.StopResult;
import io.processhub.UnknownHubException;
import io.processhub.client.ProcessHubClient;
import io.processhub.client.RemoteHub;
import io.processhub.tests.TestCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.ignite.Ignition;
import org.apache.ignite.client.ClientException;
import org.apache.ignite.client.IgniteClient;
import org.apache.ignite.configuration.ClientConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operator's path of the README ("Install into an existing Ignite 2.17"): the distribution zip unpacked into
 * the libs/ of a stock installation (with libs/optional/ignite-log4j2 enabled), three server nodes started the way
 * {@code ignite.sh -J-Dprocesshub.node=node-N libs/processhub/processhub-server.xml} starts them (only the
 * sample XML's ports moved to this JVM's port base), and this JVM holding nothing but a thin {@link IgniteClient}:
 * it starts, calls and stops children; then one node is killed with {@code kill -9} and the client keeps working
 * through the survivors.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IgniteInstallTest {
    private static final String CONFIG = "libs/processhub/processhub-server.xml";
    private static final List<String> NODES = List.of("node-1", "node-2", "node-3");
    private static final Duration NODES_READY = Duration.ofSeconds(90);
    private static final Duration CALL = Duration.ofSeconds(5);
    /** Discovery at base..base+9, thin clients at base+20..base+29 (LocalNode's scheme; the base is this JVM's). */
    private static final int BASE = TestCluster.PORT_BASE;
    private static final int CLIENT_PORT = BASE + 20;

    private static ScratchIgniteHome home;
    private static final Map<String, IgniteShNode> nodes = new TreeMap<>();
    private static IgniteClient client;
    private static ProcessHubClient processHubs;
    private static RemoteHub orders;

    @BeforeAll
    static void installAndStart() throws Exception {
        home = ScratchIgniteHome.create(Path.of("target", "ignite-install"));
        home.edit(CONFIG, Map.of(
            "<property name=\"localPort\" value=\"47500\"/>", "<property name=\"localPort\" value=\"" + BASE + "\"/>",
            "127.0.0.1:47500..47509", "127.0.0.1:" + BASE + ".." + (BASE + 9),
            "<property name=\"port\" value=\"10800\"/>", "<property name=\"port\" value=\"" + CLIENT_PORT + "\"/>"));
        // One node after the other, each started before the next, as an operator brings a cluster up. A node is
        // started when ignite.sh prints "Ignite node started OK": its plugin has started too. (Other nodes count it
        // as a hub member from its join on, a moment earlier; requests sent to it in between go unanswered.)
        for (int i = 0; i < NODES.size(); i++) {
            IgniteShNode node = IgniteShNode.start(home, NODES.get(i), CONFIG);
            nodes.put(node.name(), node);
            List<String> expected = NODES.subList(0, i + 1);
            TestCluster.await().atMost(NODES_READY).until(() -> {
                for (IgniteShNode n : nodes.values())
                    if (!n.isAlive())
                        throw new IllegalStateException("node " + n.name() + " exited:\n" + n.output());
                if (!node.output().contains("Ignite node started OK"))
                    return false;
                if (client == null)
                    client = tryConnect();
                return client != null && client.cluster().forServers().nodes().size() == expected.size();
            });
            if (processHubs == null)
                processHubs = ProcessHubClient.of(client);
            // A node accepts thin clients a moment before its hubs are up: it answers UnknownHubException until then.
            TestCluster.await().ignoreExceptionsInstanceOf(UnknownHubException.class)
                .until(() -> processHubs.hub("orders").nodes().equals(expected));
        }
        orders = processHubs.hub("orders");
    }

    private static IgniteClient tryConnect() {
        try {
            return Ignition.startClient(new ClientConfiguration()
                .setAddresses("127.0.0.1:" + CLIENT_PORT + ".." + (CLIENT_PORT + 9)));
        }
        catch (ClientException e) {
            return null; // no node listens yet
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (processHubs != null)
            processHubs.close();
        if (client != null)
            client.close();
        for (IgniteShNode n : nodes.values())
            n.close();
    }

    @Test
    @Order(1)
    void distributionHoldsOnlyWhatIgniteLacks() throws Exception {
        Set<String> files = ScratchIgniteHome.distributionEntries().stream().filter(e -> !e.endsWith("/"))
            .map(e -> e.replaceAll("-[0-9][0-9.]*(-SNAPSHOT)?\\.jar$", ".jar")).collect(Collectors.toCollection(java.util.TreeSet::new));
        assertEquals(Set.of("processhub/processhub-ignite.jar", "processhub/processhub-strategies.jar",
            "processhub/processhub-server.xml", "processhub-examples/processhub-examples.jar"), files);
    }

    @Test
    @Order(2)
    void thinClientStartsCallsAndStopsChildren() throws Exception {
        StartResult started = orders.startChildren(specs("install-", 30), StartOptions.defaults().timeout(Duration.ofSeconds(20)))
            .get(30, TimeUnit.SECONDS);
        assertTrue(started.isOk(), started.toString());
        Map<String, List<String>> byNode = new TreeMap<>();
        for (int i = 0; i < 30; i++) {
            assertEquals(1L, orders.call("install-" + i, "inc", CALL).get(10, TimeUnit.SECONDS));
            String node = String.valueOf(orders.call("install-" + i, "where", CALL).get(10, TimeUnit.SECONDS));
            byNode.computeIfAbsent(node, k -> new ArrayList<>()).add("install-" + i);
        }
        assertEquals(Set.copyOf(NODES), byNode.keySet(), "30 children spread over the three nodes: " + byNode);

        List<String> stopIds = IntStream.range(20, 30).mapToObj(i -> "install-" + i).toList();
        StopResult stopped = orders.stopChildren(stopIds, StopOptions.defaults()).get(30, TimeUnit.SECONDS);
        assertTrue(stopped.isOk(), stopped.toString());
        TestCluster.await().until(() -> stopIds.stream().noneMatch(id -> orders.lookup(id).isPresent()));
        assertEquals(20, orders.children().stream().filter(c -> c.spec().id().startsWith("install-")).count());

        // The static child of the sample XML's "sessions" hub runs, once.
        RemoteHub sessions = processHubs.hub("sessions");
        TestCluster.await().until(() -> sessions.refs("session-janitor").size() == 1);
    }

    @Test
    @Order(3)
    void thinClientKeepsWorkingWhenANodeIsKilled() throws Exception {
        List<String> survivors = List.of("node-1", "node-3");
        nodes.get("node-2").kill();

        // A request in flight to node-2 when it died may fail; the client then goes on with the other nodes.
        TestCluster.await().atMost(Duration.ofSeconds(60)).ignoreExceptionsInstanceOf(ProcessHubException.class)
            .until(() -> orders.nodes().equals(survivors));
        // Every remaining child answers again, from a survivor (node-2's restarted there with a fresh count).
        TestCluster.await().atMost(Duration.ofSeconds(60)).ignoreExceptionsInstanceOf(ProcessHubException.class)
            .until(() -> IntStream.range(0, 20).allMatch(i -> survivors.contains(where("install-" + i))));

        // From now on no request fails: start, call and stop through the survivors.
        StartResult started = orders.startChildren(specs("after-kill-", 10), StartOptions.defaults()).get(30, TimeUnit.SECONDS);
        assertTrue(started.isOk(), started.toString());
        for (int i = 0; i < 10; i++)
            assertEquals(1L, orders.call("after-kill-" + i, "inc", CALL).get(10, TimeUnit.SECONDS));
        for (int i = 0; i < 20; i++)
            assertTrue(survivors.contains(where("install-" + i)));
        StopResult stopped = orders.stopChildren(IntStream.range(0, 10).mapToObj(i -> "after-kill-" + i).toList(),
            StopOptions.defaults()).get(30, TimeUnit.SECONDS);
        assertTrue(stopped.isOk(), stopped.toString());
        assertFalse(orders.isPartitioned());
        assertEquals(survivors.size(), client.cluster().forServers().nodes().size());
    }

    /** The node a child answers from; the call's own exception (a ProcessHubException) if it fails. */
    private static String where(String childId) {
        try {
            return String.valueOf(orders.call(childId, "where", CALL).get(10, TimeUnit.SECONDS));
        }
        catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException ? (RuntimeException)e.getCause() : new IllegalStateException(e);
        }
        catch (java.util.concurrent.TimeoutException | InterruptedException e) {
            throw new IllegalStateException("no answer from " + childId, e);
        }
    }

    private static List<ChildSpec> specs(String prefix, int n) {
        return IntStream.range(0, n).mapToObj(i -> ChildSpec.of(prefix + i, "io.processhub.examples.CounterChild")).toList();
    }
}
