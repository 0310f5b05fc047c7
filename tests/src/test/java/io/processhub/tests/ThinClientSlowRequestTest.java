package io.processhub.tests;

import io.processhub.ChildSpec;
import io.processhub.HubConfiguration;
import io.processhub.StartOptions;
import io.processhub.client.ProcessHubClient;
import io.processhub.client.RemoteHub;
import io.processhub.examples.LocalNode;
import io.processhub.tests.children.Gates;
import io.processhub.tests.children.ProbeChild;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.ignite.Ignition;
import org.apache.ignite.client.IgniteClient;
import org.apache.ignite.configuration.ClientConfiguration;
import org.apache.ignite.configuration.ClientConnectorConfiguration;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ignite 2.17 runs a thin client's service call synchronously on one of the node's client-connector threads
 * ({@code ClientServiceInvokeRequest} has no asynchronous form), so a request that waits for a child holds that
 * thread while it waits, but the ProcessHub service holds it at most about a second: then it answers a ticket and the
 * client asks again for the outcome, and every hold gives the thread back to the requests queued behind it. Here one
 * client's calls wait at gates in their children, more of them than the node has connector threads, and another
 * client's starts, calls, reads and stops all go through while they are still waiting. (Sizing: README "Thin client".)
 */
class ThinClientSlowRequestTest {
    private static final String HUB = "slow";
    private static final int CONNECTOR_THREADS = 2;
    /** More waiting requests than connector threads: without a cap on a hold, they would take every thread. */
    private static final int SLOW_REQUESTS = CONNECTOR_THREADS + 1;
    private static final String PROBE = ProbeChild.class.getName();
    private static final Duration CALL = Duration.ofSeconds(90);

    private static TestCluster cluster;
    private static final List<IgniteClient> clients = new ArrayList<>();

    @BeforeAll
    static void startNode() {
        cluster = new TestCluster(() -> new HubConfiguration[] {new HubConfiguration(HUB)});
        IgniteConfiguration cfg = LocalNode.config("s1", TestCluster.PORT_BASE, new HubConfiguration(HUB));
        cfg.getClientConnectorConfiguration().setThreadPoolSize(CONNECTOR_THREADS);
        cluster.start(cfg);
    }

    @AfterAll
    static void stop() {
        clients.forEach(IgniteClient::close);
        cluster.close();
    }

    private static ProcessHubClient connect() {
        int port = TestCluster.PORT_BASE + 2 * LocalNode.MAX_NODES;
        IgniteClient c = Ignition.startClient(new ClientConfiguration().setAddresses("127.0.0.1:" + port + ".." + (port + LocalNode.MAX_NODES - 1)));
        clients.add(c);
        return ProcessHubClient.of(c);
    }

    @Test
    void slowRequestsOfOneClientDoNotStallAnother() throws Exception {
        try (ProcessHubClient slowClient = connect(); ProcessHubClient otherClient = connect()) {
            RemoteHub slow = slowClient.hub(HUB);
            RemoteHub other = otherClient.hub(HUB);
            List<ChildSpec> blockers = new ArrayList<>();
            for (int i = 0; i < SLOW_REQUESTS; i++)
                blockers.add(ChildSpec.of("blocker-" + i, PROBE));
            assertTrue(slow.startChildren(blockers, StartOptions.defaults()).get(30, TimeUnit.SECONDS).isOk());

            // Each slow call waits in its child's handler at a gate, holding a connector thread a second at a time.
            List<CompletableFuture<Object>> waiting = new ArrayList<>();
            for (int i = 0; i < SLOW_REQUESTS; i++)
                waiting.add(slow.call("blocker-" + i, "block:slow-" + i, CALL));
            TestCluster.await().until(() -> {
                for (int i = 0; i < SLOW_REQUESTS; i++)
                    if (Gates.arrivals("slow-" + i) == 0)
                        return false;
                return true;
            });

            // Meanwhile the other client is served: each of its requests gets a thread once a hold ends.
            assertTrue(other.startChild(ChildSpec.of("busy-bee", PROBE)).get(30, TimeUnit.SECONDS).isOk());
            for (int i = 1; i <= 5; i++)
                assertEquals((long)i, other.call("busy-bee", "inc", CALL).get(30, TimeUnit.SECONDS));
            assertTrue(other.lookup("busy-bee").isPresent());
            assertEquals(List.of("s1"), other.nodes());
            assertTrue(other.stopChild("busy-bee").get(30, TimeUnit.SECONDS).isOk());
            for (CompletableFuture<Object> w : waiting)
                assertFalse(w.isDone(), "the slow calls are still waiting");

            for (int i = 0; i < SLOW_REQUESTS; i++)
                Gates.open("slow-" + i);
            for (CompletableFuture<Object> w : waiting)
                assertEquals("unblocked", w.get(30, TimeUnit.SECONDS));
        }
    }
}
