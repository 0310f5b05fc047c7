package io.processhub.tests;

import io.processhub.CallTimeoutException;
import io.processhub.ChildCallException;
import io.processhub.ChildError;
import io.processhub.ChildInfo;
import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import io.processhub.HubConfiguration;
import io.processhub.NoSuchChildException;
import io.processhub.ProcessHub;
import io.processhub.ProcessHubException;
import io.processhub.Scope;
import io.processhub.StartOptions;
import io.processhub.StartResult;
import io.processhub.StopOptions;
import io.processhub.StopResult;
import io.processhub.UnknownHubException;
import io.processhub.client.ProcessHubClient;
import io.processhub.client.ProcessHubService;
import io.processhub.client.RemoteHub;
import io.processhub.examples.LocalNode;
import io.processhub.strategy.PubSub;
import io.processhub.tests.children.Gates;
import io.processhub.tests.children.ProbeChild;
import io.processhub.tests.children.ThrowingStartChild;
import io.processhub.tests.children.UnreadableMessage;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.ignite.Ignition;
import org.apache.ignite.client.ClientException;
import org.apache.ignite.client.IgniteClient;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.configuration.ClientConfiguration;
import org.apache.ignite.configuration.ClientConnectorConfiguration;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.services.ServiceDescriptor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.processhub.ChildError.Reason.ALREADY_STARTED;
import static io.processhub.ChildError.Reason.INVALID_SPEC;
import static io.processhub.ChildError.Reason.NOT_FOUND;
import static io.processhub.ChildError.Reason.ROLLED_BACK;
import static io.processhub.ChildError.Reason.START_FAILED;
import static io.processhub.tests.HubChecks.failureOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hubs through a real Ignite thin client: three hub members (a, b, c) and a server node d that has the
 * plugin but runs no hub and joins last, each with the client connector on this JVM's thin-client ports. Children
 * are named by class, as a client without their classes would name them.
 */
class ThinClientTest {
    private static final String HUB = "thin";
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** Longer than the hub's sync interval: a full reconciliation pass runs within it. */
    private static final Duration STAY = Duration.ofMillis(1_500);
    /** The thin-client port of node d, the last of this JVM's range; a, b and c take the first ones. */
    private static final int D_PORT = TestCluster.PORT_BASE + 2 * LocalNode.MAX_NODES + LocalNode.MAX_NODES - 1;
    private static final String PROBE = ProbeChild.class.getName();

    private static TestCluster cluster;
    private static HubChecks checks;
    private static IgniteClient client;
    private static ProcessHubClient processHubs;
    private static RemoteHub hub;

    @BeforeAll
    static void startClusterAndClient() {
        cluster = new TestCluster(() -> {
            PubSub sync = new PubSub();
            sync.setSyncInterval(500);
            return new HubConfiguration[] {new HubConfiguration(HUB).setSynchronizationStrategy(sync)};
        });
        cluster.startAll("a", "b", "c");
        IgniteConfiguration d = LocalNode.config("d", TestCluster.PORT_BASE)
            .setClientConnectorConfiguration(new ClientConnectorConfiguration().setPort(D_PORT).setPortRange(0));
        cluster.start(d);
        checks = new HubChecks(cluster, HUB);
        for (ProcessHub h : cluster.hubOnAll(HUB))
            TestCluster.await().until(() -> h.nodes().equals(List.of("a", "b", "c")));

        int first = TestCluster.PORT_BASE + 2 * LocalNode.MAX_NODES;
        client = Ignition.startClient(new ClientConfiguration().setAddresses("127.0.0.1:" + first + ".." + (D_PORT - 1)));
        processHubs = ProcessHubClient.of(client);
        hub = processHubs.hub(HUB);
    }

    @AfterAll
    static void stopAll() throws Exception {
        if (processHubs != null)
            processHubs.close();
        if (client != null)
            client.close();
        cluster.close();
    }

    private static Map<String, ProcessHub> hubsByNode() {
        Map<String, ProcessHub> res = new LinkedHashMap<>();
        for (String n : cluster.names())
            res.put(n, cluster.hub(n, HUB));
        return res;
    }

    private static StartResult start(RemoteHub via, List<ChildSpec> specs, StartOptions opts) throws Exception {
        return via.startChildren(specs, opts).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private static ChildError errorOf(StartResult res, String childId) {
        return res.error(childId).orElseThrow(() -> new AssertionError("an error for " + childId + " in " + res));
    }

    private static void assertError(ChildError e, ChildError.Reason reason, String... detailParts) {
        assertEquals(reason, e.reason(), e.toString());
        for (String part : detailParts)
            assertTrue(e.detail() != null && e.detail().contains(part), "detail of " + e + " should mention '" + part + "'");
    }

    private static Map<String, List<ChildRef>> byId(List<ChildInfo> infos, String prefix) {
        Map<String, List<ChildRef>> res = new TreeMap<>();
        for (ChildInfo i : infos)
            if (i.id() != null && i.id().startsWith(prefix))
                res.put(i.id(), i.refs());
        return res;
    }

    @Test
    void thousandChildrenStartedFromTheThinClientRunOnceOnTheirOwnersAndTheClientSeesWhatTheServersSee() throws Exception {
        List<ChildSpec> specs = IntStream.range(0, 1000)
            .mapToObj(i -> ChildSpec.of(String.format("thin-%04d", i), PROBE).withMetadata("tag", i % 2 == 0 ? "even" : "odd"))
            .collect(Collectors.toList());
        Set<String> ids = HubState.ids(specs);

        StartResult res = start(hub, specs, StartOptions.defaults().metadata(Map.of("team", "thin")));

        assertTrue(res.isOk(), res.toString());
        assertEquals(1000, res.started().size());
        Map<String, ChildRef> reported = res.started().stream().collect(Collectors.toMap(ChildRef::childId, r -> r));
        Map<String, ChildRef> running = new TreeMap<>();
        TestCluster.await().untilAsserted(() -> {
            Map<String, ChildRef> agreed = HubState.assertRegistryAgrees(hubsByNode(), ids);
            running.putAll(HubState.assertRunningOnce(HubState.localChildren(hubsByNode()), ids));
            assertEquals(agreed, running, "the registry lists the running instances");
        });
        HubState.assertPlacement(running, HubState.expectedOwners(ids, List.of("a", "b", "c")));
        assertEquals(new TreeMap<>(reported), running, "the refs the client got are the running instances");
        assertEquals(Set.of(), cluster.hub("d", HUB).localChildren().stream().map(ChildRef::childId)
            .filter(ids::contains).collect(Collectors.toSet()), "the node without the hub runs none");

        // Reads through the client agree with the servers' registries.
        assertEquals(List.of("a", "b", "c"), hub.nodes());
        assertFalse(hub.isPartitioned());
        Map<String, List<ChildRef>> server = byId(cluster.hub("b", HUB).children(), "thin-");
        assertEquals(server, byId(hub.children(), "thin-"));
        assertEquals(new TreeSet<>(running.values().stream().map(ChildRef::toString).collect(Collectors.toList())),
            hub.whichChildren(Scope.GLOBAL).stream().filter(r -> ids.contains(r.childId())).map(ChildRef::toString)
                .collect(Collectors.toCollection(TreeSet::new)));
        assertEquals(500, hub.tagQuery("even").stream().filter(i -> ids.contains(i.id())).count());
        assertThrows(IllegalArgumentException.class, () -> hub.whichChildren(Scope.LOCAL));
        for (int i = 0; i < 1000; i += 97) {
            String id = specs.get(i).id();
            ChildInfo info = hub.lookup(id).orElseThrow();
            assertEquals(specs.get(i).withMetadata("team", "thin"), info.spec(), "the spec survives the round trip");
            assertEquals(Map.of("tag", i % 2 == 0 ? "even" : "odd", "team", "thin"), info.metadata());
            assertEquals(List.of(running.get(id)), hub.refs(id));
            assertEquals(Optional.of(running.get(id)), hub.activeRef(id));
            // call and cast reach the child where it runs
            assertEquals(running.get(id).node(), hub.call(id, "where", WAIT).get());
            assertEquals(1L, hub.call(id, "inc", WAIT).get());
            hub.cast(id, "inc");
            TestCluster.await().until(() -> Long.valueOf(2).equals(hub.call(id, "get", WAIT).get()));
        }
        assertEquals(Optional.empty(), hub.lookup("thin-none"));
        assertEquals(List.of(), hub.refs("thin-none"));
        assertEquals(Optional.empty(), hub.activeRef("thin-none"));

        StopResult stop = hub.stopChildren(ids, StopOptions.defaults()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertTrue(stop.isOk(), stop.toString());
        assertEquals(ids, stop.stopped().keySet());
        for (String id : List.of("thin-0000", "thin-0500", "thin-0999"))
            assertEquals(List.of(running.get(id).node()), stop.stopped().get(id));
        checks.awaitExactly("thin-", Set.of());
        assertEquals(Map.of(), byId(hub.children(), "thin-"));
    }

    @Test
    void badSpecsThroughTheThinClientAreInvalidSpecsAndOnlyTheGoodChildStarts() throws Exception {
        // Tried, in one batch: a null spec, a null id, a blank id, the same id twice (one answer for the id, neither
        // spec starts), an unknown class, and a good child.
        List<ChildSpec> batch = Arrays.asList(null, ChildSpec.of(null, PROBE), ChildSpec.of("  ", PROBE),
            ChildSpec.of("tbad-dup", PROBE), ChildSpec.of("tbad-dup", PROBE).withMetadata("copy", "second"),
            ChildSpec.of("tbad-missing", "com.nope.Missing"), ChildSpec.of("tbad-ok", PROBE));

        StartResult res = start(hub, batch, StartOptions.defaults());

        assertEquals(List.of("tbad-ok"), res.started().stream().map(ChildRef::childId).sorted()
            .collect(Collectors.toList()), res.toString());
        assertEquals(5, res.errors().size(), res.toString());
        for (ChildError e : res.errors())
            assertError(e, INVALID_SPEC);
        assertEquals(1, res.errors().stream().filter(e -> e.childId() == null && e.detail().contains("spec is null")).count(), res.toString());
        assertError(res.errors().stream().filter(e -> e.childId() == null && !e.detail().contains("spec is null"))
            .findFirst().orElseThrow(), INVALID_SPEC, "null or blank");
        assertError(errorOf(res, "  "), INVALID_SPEC, "null or blank");
        assertError(errorOf(res, "tbad-dup"), INVALID_SPEC, "2 times");
        assertError(errorOf(res, "tbad-missing"), INVALID_SPEC, "com.nope.Missing");

        checks.awaitExactly("tbad-", Set.of("tbad-ok"));
        checks.assertStaysGone("tbad-missing", STAY);
        checks.assertStaysGone("tbad-dup", STAY);
        assertTrue(hub.stopChildren(List.of("tbad-ok"), null).get(WAIT.toSeconds(), TimeUnit.SECONDS).isOk());
        checks.awaitExactly("tbad-", Set.of());
    }

    @Test
    void startingARunningIdThroughTheThinClientAnswersAlreadyStartedWithTheRunningRef() throws Exception {
        // Tried: the same id again, with the caller's registry check and with checkExisting(false) (the owner refuses).
        String id = checks.idOwnedBy("trun-", "c");
        ChildRef ref = start(hub, List.of(ChildSpec.of(id, PROBE)), StartOptions.defaults()).ref(id).orElseThrow();
        assertEquals("c", ref.node());
        assertEquals(1L, hub.call(id, "inc", WAIT).get());
        checks.awaitExactly(id, Set.of(id));

        for (StartOptions opts : List.of(StartOptions.defaults(), StartOptions.defaults().checkExisting(false))) {
            StartResult again = start(hub, List.of(ChildSpec.of(id, PROBE).withMetadata("again", "yes")), opts);
            assertTrue(again.started().isEmpty(), again.toString());
            assertEquals(1, again.errors().size(), again.toString());
            assertError(errorOf(again, id), ALREADY_STARTED);
            assertEquals(ref, errorOf(again, id).existing(), "the running ref crosses the wire intact");
            assertEquals("c", errorOf(again, id).node());
        }

        assertEquals(1L, hub.call(id, "get", WAIT).get(), "the running child kept its state");
        checks.awaitExactly(id, Set.of(id));
        for (ProcessHub h : cluster.hubOnAll(HUB)) {
            assertEquals(Optional.of(ref), h.activeRef(id));
            assertNull(h.lookup(id).orElseThrow().metadata().get("again"));
        }
        assertTrue(hub.stopChild(id).get(WAIT.toSeconds(), TimeUnit.SECONDS).isOk());
        checks.awaitGone(id);
    }

    @Test
    void rollbackThroughTheThinClientLeavesNothingRunning() throws Exception {
        // Tried: a ROLLBACK batch with a good child per node and one whose start() throws.
        List<ChildSpec> batch = new java.util.ArrayList<>();
        for (String node : List.of("a", "b", "c"))
            batch.add(ChildSpec.of(checks.idOwnedBy("trb-ok-" + node + "-", node), PROBE));
        String bad = checks.idOwnedBy("trb-bad-", "b");
        batch.add(ChildSpec.of(bad, ThrowingStartChild.class.getName(), "thin rollback trigger 7"));

        StartResult res = start(hub, batch, StartOptions.defaults().onFailure(StartOptions.OnFailure.ROLLBACK));

        assertTrue(res.rolledBack(), res.toString());
        assertEquals(List.of(), res.started());
        assertError(errorOf(res, bad), START_FAILED, "thin rollback trigger 7");
        for (ChildSpec s : batch.subList(0, 3))
            assertError(errorOf(res, s.id()), ROLLED_BACK);
        checks.awaitExactly("trb-", Set.of());
    }

    @Test
    void anUnknownHubIsUnknownHubExceptionNamingTheHubsThatRun() {
        // Tried: a hub id no node runs, and a blank one.
        UnknownHubException e = assertThrows(UnknownHubException.class, () -> processHubs.hub("nope"));
        assertTrue(e.getMessage().contains("nope") && e.getMessage().contains(HUB), e.getMessage());
        assertThrows(UnknownHubException.class, () -> processHubs.hub(" "));
        assertEquals(List.of("a", "b", "c"), hub.nodes(), "the real hub is unaffected");
    }

    @Test
    void callsAndCastsToUnknownChildrenFailWithNoSuchChild() throws Exception {
        // Tried: call and cast to an id never started, and stopping it together with a blank id.
        Throwable t = failureOf(hub.call("tnone-1", "get", WAIT));
        assertInstanceOf(NoSuchChildException.class, t);
        assertTrue(t.getMessage().contains("tnone-1"), t.getMessage());
        NoSuchChildException cast = assertThrows(NoSuchChildException.class, () -> hub.cast("tnone-1", "inc"));
        assertTrue(cast.getMessage().contains("tnone-1"), cast.getMessage());

        StopResult stop = hub.stopChildren(Arrays.asList("tnone-1", " "), null).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertTrue(stop.stopped().isEmpty(), stop.toString());
        assertError(stop.errors().stream().filter(e -> "tnone-1".equals(e.childId())).findFirst().orElseThrow(), NOT_FOUND, "tnone-1");
        assertError(stop.errors().stream().filter(e -> " ".equals(e.childId())).findFirst().orElseThrow(), INVALID_SPEC, "id");
        assertTrue(checks.isGone("tnone-1"), "asking did not bring it about");
    }

    @Test
    void aSlowHandlerIsCallTimeoutAndAThrowingOneIsChildCallExceptionWithItsMessage() throws Exception {
        // Tried: calls with a 300 ms and a 1.5 s timeout to a child blocked at a gate; then a call whose handler throws.
        String id = checks.idOwnedBy("tcall-", "b");
        assertTrue(start(hub, List.of(ChildSpec.of(id, PROBE)), StartOptions.defaults()).isOk());
        checks.awaitExactly(id, Set.of(id));
        ChildRef ref = hub.activeRef(id).orElseThrow();
        String gate = "thin-gate-" + id;
        try {
            Throwable t = failureOf(hub.call(id, "block:" + gate, Duration.ofMillis(300)));
            assertInstanceOf(CallTimeoutException.class, t);
            assertTrue(t.getMessage().contains(id), t.getMessage());
            // A timeout longer than one connector-thread hold: the server answers a ticket, the timeout comes later.
            Throwable later = failureOf(hub.call(id, "get", Duration.ofMillis(1_500)));
            assertInstanceOf(CallTimeoutException.class, later);
            assertTrue(later.getMessage().contains(id), later.getMessage());
        }
        finally {
            Gates.open(gate);
        }
        assertEquals(1L, hub.call(id, "inc", WAIT).get(), "a slow answer is not a crash: the same instance answers");
        assertEquals(Optional.of(ref), cluster.hub("a", HUB).activeRef(id));

        Throwable t = failureOf(hub.call(id, "crash", WAIT));
        assertInstanceOf(ChildCallException.class, t);
        assertTrue(t.getMessage().contains("asked to crash"), t.getMessage());
        checks.awaitIncarnationEverywhere(id, ref.incarnation() + 1);
        assertEquals(0L, hub.call(id, "get", WAIT).get(), "restarted with a fresh state");

        assertTrue(hub.stopChild(id).get(WAIT.toSeconds(), TimeUnit.SECONDS).isOk());
        checks.awaitGone(id);
    }

    @Test
    void anIgniteFailureOnTheServerIsAProcessHubExceptionCarryingIgnitesError() throws Exception {
        // Tried: a call whose message the server cannot deserialize; Ignite fails the request before ProcessHub sees it.
        String id = checks.idOwnedBy("tunread-", "a");
        assertTrue(start(hub, List.of(ChildSpec.of(id, PROBE)), StartOptions.defaults()).isOk());
        checks.awaitExactly(id, Set.of(id));

        Throwable t = failureOf(hub.call(id, new UnreadableMessage(), WAIT));

        assertInstanceOf(ProcessHubException.class, t);
        assertFalse(t instanceof ChildCallException || t instanceof NoSuchChildException, t.toString());
        assertInstanceOf(ClientException.class, t.getCause(), "Ignite's exception is the cause");
        assertTrue(t.getMessage().contains("call") && t.getMessage().contains(HUB), t.getMessage());
        assertEquals(1L, hub.call(id, "inc", WAIT).get(), "the child never saw it");
        assertTrue(hub.stopChild(id).get(WAIT.toSeconds(), TimeUnit.SECONDS).isOk());
        checks.awaitGone(id);
    }

    @Test
    void everyServerNodeWithThePluginHostsOneServiceAndAClientOfANodeWithoutTheHubWorks() throws Exception {
        // Node d joined after the service was registered and runs no hub: it hosts the service all the same. A thick
        // client node with the plugin hosts none.
        cluster.start(LocalNode.config("thick-client", TestCluster.PORT_BASE).setClientMode(true).setClientConnectorConfiguration(null));
        Map<UUID, String> servers = new TreeMap<>();
        for (ClusterNode n : cluster.node("a").cluster().forServers().nodes())
            servers.put(n.id(), String.valueOf(n.consistentId()));
        assertEquals(Set.of("a", "b", "c", "d"), new TreeSet<>(servers.values()));
        TestCluster.await().untilAsserted(() -> {
            List<ServiceDescriptor> named = cluster.node("d").services().serviceDescriptors().stream()
                .filter(s -> s.name().equals(ProcessHubService.NAME)).collect(Collectors.toList());
            assertEquals(1, named.size(), "one service, however many nodes configured it");
            Map<UUID, Integer> expected = servers.keySet().stream().collect(Collectors.toMap(k -> k, k -> 1));
            assertEquals(expected, named.get(0).topologySnapshot(), "one instance per server node, none on the client node");
        });
        cluster.stop("thick-client");

        try (IgniteClient onlyD = Ignition.startClient(new ClientConfiguration().setAddresses("127.0.0.1:" + D_PORT)
            .setPartitionAwarenessEnabled(false).setClusterDiscoveryEnabled(false));
             ProcessHubClient viaD = ProcessHubClient.of(onlyD)) {
            RemoteHub remote = viaD.hub(HUB);
            assertEquals(List.of("a", "b", "c"), remote.nodes());
            List<ChildSpec> specs = IntStream.range(0, 30).mapToObj(i -> ChildSpec.of("tviad-" + i, PROBE))
                .collect(Collectors.toList());
            StartResult res = start(remote, specs, StartOptions.defaults());
            assertTrue(res.isOk(), res.toString());
            checks.awaitExactly("tviad-", HubState.ids(specs));
            for (ChildRef r : res.started())
                assertTrue(List.of("a", "b", "c").contains(r.node()), "started on a member, not on d: " + r);
            for (ChildSpec s : specs)
                assertEquals(cluster.hub("a", HUB).activeRef(s.id()).orElseThrow().node(), remote.call(s.id(), "where", WAIT).get());
            assertTrue(remote.stopChildren(HubState.ids(specs), null).get(WAIT.toSeconds(), TimeUnit.SECONDS).isOk());
            checks.awaitExactly("tviad-", Set.of());
        }
    }
}
