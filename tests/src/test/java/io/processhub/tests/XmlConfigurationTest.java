package io.processhub.tests;

import io.processhub.ChildSpec;
import io.processhub.HubConfiguration;
import io.processhub.ProcessHub;
import io.processhub.ProcessHubs;
import io.processhub.StartOptions;
import io.processhub.StartResult;
import io.processhub.client.ProcessHubClient;
import io.processhub.client.RemoteHub;
import io.processhub.examples.CounterChild;
import io.processhub.examples.CountingHookHandler;
import io.processhub.hook.Hook;
import io.processhub.hook.HookRegistration;
import io.processhub.examples.LocalNode;
import io.processhub.strategy.Guided;
import io.processhub.strategy.PubSub;
import io.processhub.strategy.StaticQuorum;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.ignite.Ignite;
import org.apache.ignite.Ignition;
import org.apache.ignite.client.IgniteClient;
import org.apache.ignite.configuration.ClientConfiguration;
import org.apache.ignite.configuration.ClientConnectorConfiguration;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.internal.IgnitionEx;
import org.apache.ignite.spi.discovery.tcp.TcpDiscoverySpi;
import org.apache.ignite.spi.discovery.tcp.ipfinder.vm.TcpDiscoveryVmIpFinder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
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
        assertTrue(sessions.getCheckpoints().isEnabled());
        assertEquals(1, sessions.getCheckpoints().getBackups());
        assertEquals(10_000, sessions.getCheckpoints().getInterval());
        assertFalse(provider.getHubs().get(0).getCheckpoints().isEnabled(), "off by default");
        assertEquals(ChildSpec.of("session-janitor", CounterChild.class).withMetadata("tag", "maintenance"),
            sessions.getStaticChildren().get(0));
    }

    @Test
    void xmlGuidedHubPlacesChildrenWhereTheMappingSays() throws Exception {
        io.processhub.ProcessHubPluginProvider provider =
            (io.processhub.ProcessHubPluginProvider)fromXml("probe-guided").getPluginProviders()[0];
        HubConfiguration devices = provider.getHubs().get(2);
        assertEquals("devices", devices.getHubId());
        assertInstanceOf(Guided.class, devices.getDistributionStrategy());
        StaticQuorum quorum = assertInstanceOf(StaticQuorum.class, devices.getPartitionToleranceStrategy());
        assertEquals(2, quorum.getQuorumSize());
        assertFalse(quorum.isStartupConfirm());

        ProcessHub hub = ProcessHubs.hub(cluster.node("xml-1"), "devices");
        StartResult res = hub.startChild(ChildSpec.of("sensor-7", CounterChild.class),
            StartOptions.defaults().childMapping(Map.of("sensor-7", List.of("xml-2")))).get(30, TimeUnit.SECONDS);
        assertTrue(res.isOk(), res.toString());
        assertEquals("xml-2", hub.call("sensor-7", "where", Duration.ofSeconds(5)).get());
        assertTrue(hub.stopChild("sensor-7").get(30, TimeUnit.SECONDS).isOk());
    }

    @Test
    void xmlNodesAcceptThinClients() throws Exception {
        // The XML's own connector (10800..10810) is replaced by this JVM's ports; its settings are checked as parsed.
        ClientConnectorConfiguration connector = IgnitionEx.loadConfiguration(XML.toUri().toURL()).get1()
            .getClientConnectorConfiguration();
        assertEquals(10800, connector.getPort());
        assertEquals(10, connector.getPortRange());

        int first = TestCluster.PORT_BASE + 2 * LocalNode.MAX_NODES;
        try (IgniteClient client = Ignition.startClient(new ClientConfiguration()
            .setAddresses("127.0.0.1:" + first + ".." + (first + LocalNode.MAX_NODES - 1)));
             ProcessHubClient processHubs = ProcessHubClient.of(client)) {
            RemoteHub orders = processHubs.hub("orders");
            assertEquals(List.of("xml-1", "xml-2"), orders.nodes());
            assertTrue(orders.startChild(ChildSpec.of("thin-order-1", CounterChild.class.getName())).get(30, TimeUnit.SECONDS).isOk());
            assertEquals(1L, orders.call("thin-order-1", "inc", Duration.ofSeconds(5)).get());
            assertTrue(orders.stopChild("thin-order-1").get(30, TimeUnit.SECONDS).isOk());
        }
    }

    @Test
    void xmlHookRegistrationsAreParsed() throws Exception {
        io.processhub.ProcessHubPluginProvider provider =
            (io.processhub.ProcessHubPluginProvider)fromXml("probe-hooks").getPluginProviders()[0];
        assertEquals(List.of(), provider.getHubs().get(0).getHooks(), "the orders hub has no handlers");
        List<HookRegistration> hooks = provider.getHubs().get(1).getHooks();
        assertEquals(2, hooks.size());
        assertEquals(Hook.PROCESS_STARTUPS, hooks.get(0).getHook());
        assertEquals("count-startups", hooks.get(0).getId());
        assertEquals(10, hooks.get(0).getPriority());
        assertEquals(Hook.REGISTRY_PID_INSERTED, hooks.get(1).getHook());
        assertEquals("count-registry-inserts", hooks.get(1).getId());
        assertEquals(0, hooks.get(1).getPriority());
        assertInstanceOf(CountingHookHandler.class, hooks.get(0).getHandler());
        assertSame(hooks.get(0).getHandler(), hooks.get(1).getHandler(), "one handler bean serves both hooks");
    }

    @Test
    void xmlHookHandlersFire() throws Exception {
        List<String> nodes = List.of("xml-1", "xml-2");
        for (String node : nodes) {
            ProcessHub h = ProcessHubs.hub(cluster.node(node), "sessions");
            assertEquals(List.of("count-startups"), h.hooks().registered(Hook.PROCESS_STARTUPS), node);
            assertEquals(List.of("count-registry-inserts"), h.hooks().registered(Hook.REGISTRY_PID_INSERTED), node);
            assertEquals(List.of(), ProcessHubs.hub(cluster.node(node), "orders").hooks().registered(Hook.PROCESS_STARTUPS), node);
        }
        ProcessHub sessions = ProcessHubs.hub(cluster.node("xml-2"), "sessions");
        List<ChildSpec> specs = IntStream.range(0, 20).mapToObj(i -> ChildSpec.of("hooked-" + i, CounterChild.class))
            .collect(Collectors.toList());
        StartResult res = sessions.startChildren(specs, null).get(30, TimeUnit.SECONDS);
        assertTrue(res.isOk(), res.toString());
        assertEquals(2, res.started().stream().map(io.processhub.ChildRef::node).distinct().count(), "both nodes own some");

        // Every node's registry copy learns each child once; its owner reports its startup once.
        TestCluster.await().until(() -> specs.stream().allMatch(s ->
            CountingHookHandler.countFor("sessions", Hook.REGISTRY_PID_INSERTED, s.id()) >= 2
                && CountingHookHandler.countFor("sessions", Hook.PROCESS_STARTUPS, s.id()) >= 1));
        // Barrier: a second batch, started after the first one's events, fully counted.
        List<ChildSpec> barrier = IntStream.range(0, 10).mapToObj(i -> ChildSpec.of("hooked-barrier-" + i, CounterChild.class))
            .collect(Collectors.toList());
        assertTrue(sessions.startChildren(barrier, null).get(30, TimeUnit.SECONDS).isOk());
        TestCluster.await().until(() -> barrier.stream().allMatch(s ->
            CountingHookHandler.countFor("sessions", Hook.REGISTRY_PID_INSERTED, s.id()) == 2
                && CountingHookHandler.countFor("sessions", Hook.PROCESS_STARTUPS, s.id()) == 1));
        for (io.processhub.ChildRef r : res.started()) {
            for (String node : nodes)
                assertEquals(1, CountingHookHandler.countFor("sessions", node, Hook.REGISTRY_PID_INSERTED, r.childId()),
                    r.childId() + " on " + node);
            assertEquals(1, CountingHookHandler.countFor("sessions", r.node(), Hook.PROCESS_STARTUPS, r.childId()), r.childId());
            assertEquals(1, CountingHookHandler.countFor("sessions", Hook.PROCESS_STARTUPS, r.childId()), r.childId());
        }
    }
}
