package io.processhub.tests;

import io.processhub.ChildError;
import io.processhub.ChildInfo;
import io.processhub.ChildMapping;
import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import io.processhub.HubConfiguration;
import io.processhub.NoSuchChildException;
import io.processhub.ProcessHub;
import io.processhub.ReplicaRole;
import io.processhub.Scope;
import io.processhub.StartOptions;
import io.processhub.StartResult;
import io.processhub.client.ProcessHubClient;
import io.processhub.client.RemoteHub;
import io.processhub.examples.CounterChild;
import io.processhub.examples.LocalNode;
import io.processhub.strategy.Guided;
import io.processhub.strategy.PubSub;
import io.processhub.strategy.Replication;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.ignite.Ignition;
import org.apache.ignite.client.IgniteClient;
import org.apache.ignite.configuration.ClientConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.processhub.ChildError.Reason.CHILD_MAPPING_MISMATCH;
import static io.processhub.ChildError.Reason.CHILD_REPLICATION_MISMATCH;
import static io.processhub.ChildError.Reason.INVALID_CHILD_MAPPING;
import static io.processhub.ChildError.Reason.MISSING_CHILD_MAPPING;
import static io.processhub.ChildError.Reason.UNKNOWN_NODE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Guided} distribution on three real nodes, with one replica ({@code guided}) and with two, active/passive
 * ({@code guided-rep}): children run on the nodes the start request mapped them to; ProcessHub's mapping errors are
 * typed errors that start nothing; and, as in ProcessHub, a child is never moved: when its node leaves it is not
 * restarted elsewhere (a replica on another mapped node takes over as active), and it runs there again when the node
 * comes back, because its mapping is in its spec, in the registry copy of every node.
 */
class GuidedDistributionTest {
    private static final String HUB = "guided";
    private static final String REP = "guided-rep";
    private static final List<String> NODES = List.of("a", "b", "c");
    /** Longer than the sync interval: full reconciliation passes run within it. */
    private static final Duration STAY = Duration.ofSeconds(2);

    private static TestCluster cluster;

    private static HubConfiguration[] hubs() {
        PubSub sync = new PubSub();
        sync.setSyncInterval(500);
        Replication two = new Replication();
        two.setReplicationFactor(2);
        two.setReplicationModel(Replication.ReplicationModel.ACTIVE_PASSIVE);
        return new HubConfiguration[] {
            new HubConfiguration(HUB).setDistributionStrategy(new Guided()).setSynchronizationStrategy(sync)
                .setStaticChildren(List.of(ChildSpec.of("static-on-b", CounterChild.class).withMetadata(ChildMapping.METADATA_KEY, "b"))),
            new HubConfiguration(REP).setDistributionStrategy(new Guided()).setRedundancyStrategy(two)};
    }

    @BeforeAll
    static void startCluster() {
        cluster = new TestCluster(GuidedDistributionTest::hubs);
        cluster.startAll(NODES.toArray(new String[0]));
        for (String hub : List.of(HUB, REP))
            for (ProcessHub h : cluster.hubOnAll(hub))
                TestCluster.await().until(() -> h.nodes().equals(NODES));
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    private static StartResult start(String via, String hub, List<ChildSpec> specs, StartOptions opts) throws Exception {
        return cluster.hub(via, hub).startChildren(specs, opts).get(30, TimeUnit.SECONDS);
    }

    private static List<ChildSpec> counters(List<String> ids) {
        return ids.stream().map(id -> ChildSpec.of(id, CounterChild.class)).collect(Collectors.toList());
    }

    /** Node → the ids of the given children running there (sorted). */
    private static Map<String, List<String>> running(String hub, List<String> ids) {
        Map<String, List<String>> res = new TreeMap<>();
        for (String node : cluster.names())
            res.put(node, cluster.hub(node, hub).whichChildren(Scope.LOCAL).stream().map(ChildRef::childId)
                .filter(ids::contains).sorted().collect(Collectors.toList()));
        return res;
    }

    private static Map<String, List<String>> expected(Map<String, String> nodeOf) {
        Map<String, List<String>> res = new TreeMap<>();
        for (String node : cluster.names())
            res.put(node, new ArrayList<>());
        nodeOf.forEach((id, node) -> res.computeIfPresent(node, (k, l) -> {
            l.add(id);
            l.sort(null);
            return l;
        }));
        return res;
    }

    private static ChildError errorOf(StartResult res, String childId) {
        Optional<ChildError> e = res.error(childId);
        assertTrue(e.isPresent(), "an error for " + childId + " in " + res);
        assertNotNull(e.get().detail());
        return e.get();
    }

    @Test
    void childrenRunOnTheirMappedNodesAndEveryNodeKnowsTheMapping() throws Exception {
        Map<String, String> nodeOf = new TreeMap<>();
        for (int i = 0; i < 30; i++)
            nodeOf.put("place-" + i, NODES.get(i % 3));
        Map<String, List<String>> mapping = new HashMap<>();
        nodeOf.forEach((id, node) -> mapping.put(id, List.of(node)));
        List<String> ids = new ArrayList<>(nodeOf.keySet());

        // Asked on b, which runs a third of them itself: the others go to a and c, none by the hash ring.
        StartResult res = start("b", HUB, counters(ids), StartOptions.defaults().childMapping(mapping));

        assertTrue(res.isOk(), res.toString());
        for (ChildRef r : res.started())
            assertEquals(nodeOf.get(r.childId()), r.node(), r.toString());
        TestCluster.await().untilAsserted(() -> assertEquals(expected(nodeOf), running(HUB, ids)));
        for (ProcessHub h : cluster.hubOnAll(HUB))
            TestCluster.await().untilAsserted(() -> {
                for (String id : ids) {
                    ChildInfo info = h.lookup(id).orElseThrow(() -> new AssertionError(id + " not in the registry"));
                    assertEquals(nodeOf.get(id), info.metadata().get(ChildMapping.METADATA_KEY), "the mapping of " + id);
                    assertEquals(List.of(nodeOf.get(id)), info.refs().stream().map(ChildRef::node).collect(Collectors.toList()));
                }
            });
        for (String id : List.of("place-0", "place-1", "place-2"))
            assertEquals(nodeOf.get(id), cluster.hub("a", HUB).call(id, "where", Duration.ofSeconds(10)).get(10, TimeUnit.SECONDS));
    }

    @Test
    void aStaticChildRunsOnceOnTheNodeItsMetadataNames() {
        // a started first, before b was a member: its attempt was refused (UNKNOWN_NODE), b's own succeeded.
        TestCluster.await().untilAsserted(() -> assertEquals(Map.of("a", List.of(), "b", List.of("static-on-b"), "c", List.of()),
            running(HUB, List.of("static-on-b"))));
    }

    @Test
    void mappingErrorsAreTypedAndStartNothingWhileTheRestOfTheBatchStarts() throws Exception {
        // Tried: no mapping at all for a guided hub.
        StartResult none = start("a", HUB, counters(List.of("bad-none-1", "bad-none-2")), StartOptions.defaults());
        assertEquals(List.of(), none.started(), none.toString());
        for (String id : List.of("bad-none-1", "bad-none-2"))
            assertEquals(MISSING_CHILD_MAPPING, errorOf(none, id).reason());

        // Tried, in one batch with a good child: a child the mapping leaves out, an unknown node, two nodes for a
        // child with one replica, a blank node; and on the two-replica hub, one node and the same node twice.
        Map<String, List<String>> mapping = new HashMap<>();
        mapping.put("bad-ok", List.of("c"));
        mapping.put("bad-unknown", List.of("z"));
        mapping.put("bad-two", List.of("a", "b"));
        mapping.put("bad-blank", List.of(" "));
        StartResult res = start("a", HUB, counters(List.of("bad-ok", "bad-unmapped", "bad-unknown", "bad-two", "bad-blank")),
            StartOptions.defaults().childMapping(mapping));
        assertEquals(List.of("bad-ok"), res.started().stream().map(ChildRef::childId).collect(Collectors.toList()), res.toString());
        assertEquals("c", res.started().get(0).node());
        assertEquals(CHILD_MAPPING_MISMATCH, errorOf(res, "bad-unmapped").reason());
        ChildError unknown = errorOf(res, "bad-unknown");
        assertEquals(UNKNOWN_NODE, unknown.reason());
        assertTrue(unknown.detail().contains("z"), unknown.toString());
        assertEquals(CHILD_REPLICATION_MISMATCH, errorOf(res, "bad-two").reason());
        assertEquals(INVALID_CHILD_MAPPING, errorOf(res, "bad-blank").reason());

        Map<String, List<String>> repMapping = Map.of("bad-rep-one", List.of("a"), "bad-rep-twice", List.of("b", "b"));
        StartResult rep = start("c", REP, counters(List.of("bad-rep-one", "bad-rep-twice")),
            StartOptions.defaults().childMapping(repMapping));
        assertEquals(List.of(), rep.started(), rep.toString());
        assertEquals(CHILD_REPLICATION_MISMATCH, errorOf(rep, "bad-rep-one").reason());
        assertEquals(INVALID_CHILD_MAPPING, errorOf(rep, "bad-rep-twice").reason());

        // A mapping that cannot be kept is refused before anything is sent.
        assertThrows(IllegalArgumentException.class, () -> StartOptions.defaults().childMapping(Map.of("x", List.of("a,b"))));
        assertThrows(NullPointerException.class, () -> StartOptions.defaults().childMapping(Map.of("x", Arrays.asList("a", null))));

        // Nothing of the refused children is registered or runs, for a while (full reconciliation passes included).
        List<String> refused = List.of("bad-none-1", "bad-none-2", "bad-unmapped", "bad-unknown", "bad-two", "bad-blank");
        TestCluster.await().during(STAY).atMost(STAY.multipliedBy(5)).untilAsserted(() -> {
            for (String node : NODES) {
                for (String id : refused)
                    assertFalse(cluster.hub(node, HUB).lookup(id).isPresent(), id + " registered on " + node);
                for (String id : List.of("bad-rep-one", "bad-rep-twice"))
                    assertFalse(cluster.hub(node, REP).lookup(id).isPresent(), id + " registered on " + node);
            }
            assertEquals(Map.of("a", List.of(), "b", List.of(), "c", List.of()), running(HUB, refused));
        });
    }

    @Test
    void aThinClientMapsChildrenToo() throws Exception {
        int first = TestCluster.PORT_BASE + 2 * LocalNode.MAX_NODES;
        try (IgniteClient client = Ignition.startClient(new ClientConfiguration()
            .setAddresses("127.0.0.1:" + first + ".." + (first + LocalNode.MAX_NODES - 1)));
             ProcessHubClient processHubs = ProcessHubClient.of(client)) {
            RemoteHub hub = processHubs.hub(HUB);
            StartResult res = hub.startChildren(List.of(ChildSpec.of("thin-on-c", CounterChild.class.getName()),
                    ChildSpec.of("thin-unmapped", CounterChild.class.getName())),
                StartOptions.defaults().childMapping(Map.of("thin-on-c", List.of("c")))).get(30, TimeUnit.SECONDS);
            assertEquals(List.of("thin-on-c"), res.started().stream().map(ChildRef::childId).collect(Collectors.toList()), res.toString());
            assertEquals("c", hub.call("thin-on-c", "where", Duration.ofSeconds(10)).get(10, TimeUnit.SECONDS));
            assertEquals(CHILD_MAPPING_MISMATCH, errorOf(res, "thin-unmapped").reason());
            assertTrue(hub.stopChild("thin-on-c").get(30, TimeUnit.SECONDS).isOk());
        }
    }

    @Test
    void aChildWhoseNodeLeavesIsNotMovedAndRunsThereAgainWhenTheNodeReturns() throws Exception {
        Map<String, String> nodeOf = new TreeMap<>(Map.of("leave-a", "a", "leave-b", "b", "leave-c1", "c", "leave-c2", "c"));
        Map<String, List<String>> mapping = new HashMap<>();
        nodeOf.forEach((id, node) -> mapping.put(id, List.of(node)));
        List<String> ids = new ArrayList<>(nodeOf.keySet());
        assertTrue(start("a", HUB, counters(ids), StartOptions.defaults().childMapping(mapping)).isOk());
        // On the two-replica hub: c first (active), a second (passive).
        Map<String, List<String>> repMapping = Map.of("leave-rep", List.of("c", "a"));
        assertTrue(start("a", REP, counters(List.of("leave-rep")), StartOptions.defaults().childMapping(repMapping)).isOk());
        TestCluster.await().untilAsserted(() -> assertEquals(expected(nodeOf), running(HUB, ids)));
        awaitReplicas("leave-rep", Map.of("c", ReplicaRole.ACTIVE, "a", ReplicaRole.PASSIVE));

        cluster.stop("c");

        // c's children run nowhere and stay registered without a replica; the others are untouched. Over full
        // reconciliation passes nothing of c's is started on a or b. The replica on a becomes active, none starts on b.
        for (String node : List.of("a", "b"))
            TestCluster.await().until(() -> cluster.hub(node, HUB).nodes().equals(List.of("a", "b")));
        Map<String, String> without = new TreeMap<>(Map.of("leave-a", "a", "leave-b", "b"));
        TestCluster.await().during(STAY).atMost(STAY.multipliedBy(10)).untilAsserted(() -> {
            assertEquals(expected(without), running(HUB, ids));
            for (String node : List.of("a", "b"))
                for (String id : List.of("leave-c1", "leave-c2")) {
                    ChildInfo info = cluster.hub(node, HUB).lookup(id).orElseThrow(() -> new AssertionError(id + " dropped on " + node));
                    assertEquals(List.of(), info.refs(), id + " on " + node);
                }
        });
        Throwable noSuch = assertThrows(ExecutionException.class,
            () -> cluster.hub("b", HUB).call("leave-c1", "get", Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS)).getCause();
        assertInstanceOf(NoSuchChildException.class, noSuch, "a child whose node left runs nowhere");
        awaitReplicas("leave-rep", Map.of("a", ReplicaRole.ACTIVE));
        assertEquals(Map.of("a", List.of("leave-rep"), "b", List.of()), running(REP, List.of("leave-rep")));

        cluster.start("c");

        TestCluster.await().untilAsserted(() -> assertEquals(expected(nodeOf), running(HUB, ids)));
        for (ProcessHub h : cluster.hubOnAll(HUB))
            TestCluster.await().untilAsserted(() -> {
                for (String id : ids)
                    assertEquals(List.of(nodeOf.get(id)), h.refs(id).stream().map(ChildRef::node).collect(Collectors.toList()), id);
            });
        // c is the first mapped node again: its replica takes over as the active one.
        awaitReplicas("leave-rep", Map.of("c", ReplicaRole.ACTIVE, "a", ReplicaRole.PASSIVE));
        assertNull(cluster.hub("b", REP).whichChildren(Scope.LOCAL).stream().filter(r -> r.childId().equals("leave-rep"))
            .findAny().orElse(null), "never on b");
    }

    /** The child's registered replicas, node → role, agree with {@code expected} on every node. */
    private static void awaitReplicas(String id, Map<String, ReplicaRole> expected) {
        for (ProcessHub h : cluster.hubOnAll(REP))
            TestCluster.await().untilAsserted(() -> assertEquals(expected,
                h.refs(id).stream().collect(Collectors.toMap(ChildRef::node, ChildRef::role)), id + " on " + h));
    }
}
