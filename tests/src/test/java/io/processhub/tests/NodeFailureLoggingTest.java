package io.processhub.tests;

import io.processhub.ChildSpec;
import io.processhub.HubConfiguration;
import io.processhub.ProcessHub;
import io.processhub.StartOptions;
import io.processhub.StartResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.ignite.IgniteException;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.processhub.tests.HubState.assertRegistryAgrees;
import static io.processhub.tests.HubState.assertRunningOnce;
import static io.processhub.tests.HubState.localChildren;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node failure is an expected condition: the survivors take the dead node's children over without an ERROR
 * in their log. Two in-JVM nodes and one node in a child JVM that is killed ({@code kill -9}); every log event of
 * the survivors (this JVM) is recorded from the kill until the hub has settled.
 */
class NodeFailureLoggingTest {
    private static final String HUB = "quiet";
    private static final int CHILDREN = 600;

    private TestCluster cluster;
    private ChildJvm victim;

    @AfterEach
    void stop() {
        if (victim != null)
            victim.close();
        if (cluster != null)
            cluster.close();
    }

    @Test
    void aKilledNodeLeavesNoErrorInTheSurvivorsLog() throws Exception {
        cluster = new TestCluster(() -> new HubConfiguration[] {new HubConfiguration(HUB)});
        cluster.startAll("a", "b");
        victim = ChildJvm.launch("c", TestCluster.PORT_BASE, HUB).awaitReady(Duration.ofSeconds(90));
        Map<String, ProcessHub> all = Map.of("a", cluster.hub("a", HUB), "b", cluster.hub("b", HUB));
        for (ProcessHub h : all.values())
            TestCluster.await().until(() -> h.nodes().equals(List.of("a", "b", "c")));
        List<ChildSpec> specs = HubState.counters("quiet", CHILDREN);
        Set<String> ids = HubState.ids(specs);
        StartResult res = cluster.hub("a", HUB).startChildren(specs, StartOptions.defaults()).get();
        assertTrue(res.isOk(), res.toString());
        assertTrue(res.started().stream().anyMatch(r -> r.node().equals("c")), "the victim runs children");

        try (LogCapture log = LogCapture.record()) {
            victim.kill();
            TestCluster.await().ignoreExceptionsInstanceOf(IgniteException.class).untilAsserted(() -> {
                for (ProcessHub h : all.values())
                    assertEquals(List.of("a", "b"), h.nodes());
                assertRunningOnce(localChildren(all), ids);
                assertRegistryAgrees(all, ids);
            });

            List<LogCapture.Line> lines = log.lines();
            lines.forEach(l -> System.out.println("[captured] " + l));
            List<LogCapture.Line> ours = lines.stream()
                .filter(l -> l.level.isMoreSpecificThan(Level.ERROR) && l.logger.startsWith("io.processhub"))
                .collect(Collectors.toList());
            assertTrue(ours.isEmpty(), "no ERROR from ProcessHub on a node failure: " + ours);
            // A failed send Ignite logs (TcpCommunicationSpi) is ours if it carries a message of our transport (user
            // messages) or was issued by a hub thread (a registry read of the hub loop, say). Ignite's own traffic to
            // the dead node on its own threads (continuous-query acknowledgements, exchange) is not under test.
            List<LogCapture.Line> ourFailedSends = lines.stream()
                .filter(l -> l.level.isMoreSpecificThan(Level.ERROR) && l.mentions("Failed to send message")
                    && (l.thread.startsWith("processhub-") || l.mentions("TOPIC_COMM_USER")))
                .collect(Collectors.toList());
            assertTrue(ourFailedSends.isEmpty(), "no send of the hub to the dead node logged as an error: " + ourFailedSends);
        }
    }
}
