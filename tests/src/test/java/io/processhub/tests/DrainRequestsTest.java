package io.processhub.tests;

import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import io.processhub.DrainException;
import io.processhub.HubConfiguration;
import io.processhub.ProcessHub;
import io.processhub.Scope;
import io.processhub.StartOptions;
import io.processhub.client.ProcessHubClient;
import io.processhub.client.RemoteHub;
import io.processhub.examples.CounterChild;
import io.processhub.examples.LocalNode;
import io.processhub.strategy.ConsistentHashing;
import io.processhub.strategy.Guided;
import io.processhub.strategy.Placement;
import io.processhub.tests.children.Gates;
import io.processhub.tests.children.ProbeChild;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.ignite.Ignition;
import org.apache.ignite.client.IgniteClient;
import org.apache.ignite.configuration.ClientConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Drain requests other than the happy path of {@link DrainTest}: refusals (typed, explained, changing nothing), a
 * drain asked through a node that does not run the hub and through a thin client, a drain seen by a node that joins
 * later, a drain undrained before its node is empty, and a draining node that leaves (it is no longer draining, and
 * takes children when it comes back).
 * Members a, b, c run hub {@value #HUB} (and a guided hub); d is a server without hubs, cl a client node.
 */
class DrainRequestsTest {
    private static final String HUB = "drq";
    private static final String GUIDED_HUB = "drq-guided";
    private static final int N = 60;
    private static final List<String> MEMBERS = List.of("a", "b", "c");
    private static TestCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = new TestCluster(() -> new HubConfiguration[] {new HubConfiguration(HUB),
            new HubConfiguration(GUIDED_HUB).setDistributionStrategy(new Guided())});
        cluster.startAll("a", "b", "c");
        cluster.start(LocalNode.config("d", TestCluster.PORT_BASE));
        cluster.start(LocalNode.config("cl", TestCluster.PORT_BASE).setClientMode(true));
        List<ChildSpec> specs = IntStream.range(0, N).mapToObj(i -> ChildSpec.of("q-" + i, CounterChild.class))
            .collect(Collectors.toList());
        assertTrue(cluster.hub("a", HUB).startChildren(specs, StartOptions.defaults()).get().isOk());
        TestCluster.await().until(() -> placement(MEMBERS).size() == N);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    /** Each test leaves no drain behind. */
    @AfterEach
    void undrainAll() throws Exception {
        for (String n : MEMBERS)
            cluster.hub("a", HUB).undrain(n).get(30, TimeUnit.SECONDS);
        for (String n : MEMBERS)
            TestCluster.await().until(() -> cluster.hub(n, HUB).drainingNodes().isEmpty());
    }

    private static Map<String, String> placement(List<String> nodes) {
        Map<String, String> res = new HashMap<>();
        for (String node : nodes)
            for (ChildRef r : cluster.hub(node, HUB).whichChildren(Scope.LOCAL))
                res.put(r.childId(), node);
        return res;
    }

    private static DrainException refused(CompletableFuture<Void> request, DrainException.Reason reason, String mention) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> request.get(30, TimeUnit.SECONDS));
        DrainException refusal = assertInstanceOf(DrainException.class, e.getCause());
        assertEquals(reason, refusal.reason(), refusal.getMessage());
        assertTrue(refusal.getMessage().contains(mention), refusal.getMessage() + " should mention " + mention);
        return refusal;
    }

    @Test
    void refusedRequestsAreTypedAndChangeNothing() throws Exception {
        Map<String, String> before = placement(MEMBERS);
        ProcessHub hub = cluster.hub("b", HUB);
        refused(hub.drain("nope"), DrainException.Reason.UNKNOWN_NODE, "nope");
        refused(hub.undrain("nope"), DrainException.Reason.UNKNOWN_NODE, "nope");
        refused(hub.drain("cl"), DrainException.Reason.CLIENT_NODE, "cl");
        refused(hub.drain("d"), DrainException.Reason.NOT_A_MEMBER, "d");
        refused(cluster.hub("a", GUIDED_HUB).drain("c"), DrainException.Reason.GUIDED_DISTRIBUTION, "guided");
        for (String bad : new String[] {null, " "}) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> hub.drain(bad).get(30, TimeUnit.SECONDS));
            assertInstanceOf(IllegalArgumentException.class, e.getCause());
        }
        for (String n : MEMBERS)
            assertEquals(List.of(), cluster.hub(n, HUB).drainingNodes(), "no drain as " + n + " sees it");
        assertEquals(before, placement(MEMBERS), "no child moved");
    }

    @Test
    void theLastNodeThatIsNotDrainingCannotBeDrained() throws Exception {
        // Asked through d, a server that does not run the hub, and the client node cl: a member checks and records it.
        ProcessHub viaD = cluster.hub("d", HUB);
        viaD.drain("a").get(30, TimeUnit.SECONDS);
        cluster.hub("cl", HUB).drain("b").get(30, TimeUnit.SECONDS);
        assertEquals(N, placement(List.of("c")).size(), "c runs every child");
        refused(cluster.hub("c", HUB).drain("c"), DrainException.Reason.LAST_NODE, "nowhere to go");
        assertEquals(List.of("a", "b"), cluster.hub("c", HUB).drainingNodes());
        assertEquals(N, placement(List.of("c")).size(), "c still runs every child");
        viaD.drain("a").get(30, TimeUnit.SECONDS); // draining again only waits
    }

    @Test
    void aDrainUndrainedBeforeItsNodeIsEmptyFails() throws Exception {
        Placement ring = new ConsistentHashing().placement(MEMBERS);
        String busy = IntStream.range(0, 100).mapToObj(i -> "busy-" + i).filter(id -> ring.owner(id).equals("b"))
            .findFirst().orElseThrow();
        ProcessHub hub = cluster.hub("a", HUB);
        assertTrue(hub.startChild(ChildSpec.of(busy, ProbeChild.class)).get().isOk());
        String gate = "drain-undrained";
        hub.cast(busy, "block:" + gate); // its move away waits behind this message: b is not empty until the gate opens
        try {
            TestCluster.await().until(() -> Gates.arrivals(gate) == 1);
            CompletableFuture<Void> drain = hub.drain("b");
            TestCluster.await().until(() -> cluster.hub("b", HUB).whichChildren(Scope.LOCAL).size() <= 1);
            assertFalse(drain.isDone(), "b still has the busy child");
            hub.undrain("b").get(30, TimeUnit.SECONDS);
            refused(drain, DrainException.Reason.UNDRAINED, "undrained");
        }
        finally {
            Gates.open(gate);
        }
        assertTrue(hub.stopChild(busy).get().isOk());
    }

    @Test
    void aThinClientDrainsAndUndrains() throws Exception {
        try (IgniteClient client = Ignition.startClient(new ClientConfiguration()
                .setAddresses("127.0.0.1:" + ThinSql.port(cluster.node("a"))));
             ProcessHubClient processHubs = ProcessHubClient.of(client)) {
            RemoteHub hub = processHubs.hub(HUB);
            hub.drain("b", Duration.ofSeconds(30)).get(40, TimeUnit.SECONDS);
            assertEquals(List.of(), cluster.hub("b", HUB).whichChildren(Scope.LOCAL), "b runs nothing once drained");
            assertEquals(List.of("b"), cluster.hub("c", HUB).drainingNodes());

            ExecutionException e = assertThrows(ExecutionException.class, () -> hub.drain("nope", Duration.ofSeconds(5)).get(30, TimeUnit.SECONDS));
            DrainException refusal = assertInstanceOf(DrainException.class, e.getCause());
            assertEquals(DrainException.Reason.UNKNOWN_NODE, refusal.reason(), refusal.getMessage());

            hub.undrain("b").get(30, TimeUnit.SECONDS);
            TestCluster.await().until(() -> !cluster.hub("b", HUB).whichChildren(Scope.LOCAL).isEmpty());
        }
    }

    @Test
    void aJoiningNodeSeesTheDrainAndADrainingNodeThatLeavesIsNoLongerDraining() throws Exception {
        cluster.start("e");
        try {
            TestCluster.await().until(() -> cluster.hub("a", HUB).nodes().contains("e"));
            cluster.hub("a", HUB).drain("e").get(30, TimeUnit.SECONDS);
            cluster.start("f");
            assertEquals(List.of("e"), cluster.hub("f", HUB).drainingNodes(), "a node that joins later sees the drain");
            TestCluster.await().until(() -> placement(List.of("a", "b", "c", "f")).size() == N);
            assertEquals(List.of(), cluster.hub("e", HUB).whichChildren(Scope.LOCAL), "the joiner put nothing on e");

            cluster.stop("e");
            for (String n : List.of("a", "b", "c", "f"))
                TestCluster.await().until(() -> cluster.hub(n, HUB).drainingNodes().isEmpty());
            cluster.start("e");
            TestCluster.await().until(() -> !cluster.hub("e", HUB).whichChildren(Scope.LOCAL).isEmpty());
            assertFalse(cluster.hub("a", HUB).drainingNodes().contains("e"), "back, e is not draining");
        }
        finally {
            cluster.stop("f");
            cluster.stop("e");
        }
    }
}
