package io.processhub.tests;

import io.processhub.ChildSpec;
import io.processhub.HubConfiguration;
import io.processhub.ProcessHub;
import io.processhub.ProcessHubs;
import io.processhub.StartResult;
import io.processhub.examples.CounterChild;
import io.processhub.examples.LocalNode;
import io.processhub.strategy.PubSub;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.ignite.Ignite;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.internal.IgnitionEx;
import org.apache.ignite.spi.discovery.tcp.TcpDiscoverySpi;
import org.apache.ignite.spi.discovery.tcp.ipfinder.vm.TcpDiscoveryVmIpFinder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two real nodes started from ignite-config/processhub-server.xml (ports moved to this JVM's base). */
class XmlConfigurationTest {
    private static final Path XML = Path.of(System.getProperty("processhub.config.dir", "../ignite-config"),
        "processhub-server.xml");
    private static final TestCluster cluster = new TestCluster(() -> new HubConfiguration[0]);

    @BeforeAll
    static void startFromXml() throws Exception {
        for (String name : List.of("xml-1", "xml-2"))
            cluster.start(fromXml(name));
    }

    /** The XML as an operator would use it, with only name and ports changed for the test JVM. */
    static IgniteConfiguration fromXml(String name) throws Exception {
        IgniteConfiguration cfg = IgnitionEx.loadConfiguration(XML.toUri().toURL()).get1();
        cfg.setIgniteInstanceName(name).setConsistentId(name);
        IgniteConfiguration local = LocalNode.config(name, TestCluster.PORT_BASE);
        cfg.setDiscoverySpi(local.getDiscoverySpi()).setCommunicationSpi(local.getCommunicationSpi())
            .setClientConnectorConfiguration(local.getClientConnectorConfiguration())
            .setDataStorageConfiguration(local.getDataStorageConfiguration())
            .setWorkDirectory(local.getWorkDirectory())
            .setFailureHandler(local.getFailureHandler());
        return cfg;
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void xmlHubsRunWithTheirSettings() throws Exception {
        Ignite node = cluster.node("xml-1");
        ProcessHub orders = ProcessHubs.hub(node, "orders");
        ProcessHub sessions = ProcessHubs.hub(node, "sessions");
        assertEquals(List.of("xml-1", "xml-2"), orders.nodes());
        assertEquals(List.of("xml-1", "xml-2"), sessions.nodes());

        StartResult res = orders.startChild(ChildSpec.of("order-1", CounterChild.class)).get();
        assertTrue(res.isOk(), res.toString());
        assertEquals(1L, ProcessHubs.hub(cluster.node("xml-2"), "orders").call("order-1", "inc", Duration.ofSeconds(5)).get());

        // The static child declared in XML runs exactly once across both nodes.
        TestCluster.await().until(() -> sessions.activeRef("session-janitor").isPresent());
        long copies = cluster.hubOnAll("sessions").stream()
            .filter(h -> h.localChildren().stream().anyMatch(r -> r.childId().equals("session-janitor"))).count();
        assertEquals(1, copies);
    }

    @Test
    void xmlStrategySettingsAreApplied() throws Exception {
        IgniteConfiguration cfg = fromXml("probe");
        io.processhub.ProcessHubPluginProvider provider = (io.processhub.ProcessHubPluginProvider)cfg.getPluginProviders()[0];
        HubConfiguration sessions = provider.getHubs().get(1);
        assertEquals("sessions", sessions.getHubId());
        assertEquals(5000, assertInstanceOf(PubSub.class, sessions.getSynchronizationStrategy()).getSyncInterval());
        assertEquals(10, sessions.getMaxRestarts());
        assertEquals(ChildSpec.of("session-janitor", CounterChild.class).withMetadata("tag", "maintenance"),
            sessions.getStaticChildren().get(0));
    }
}
