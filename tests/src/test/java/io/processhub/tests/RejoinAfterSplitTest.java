package io.processhub.tests;

import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import io.processhub.HubConfiguration;
import io.processhub.ProcessHub;
import io.processhub.ProcessHubPluginProvider;
import io.processhub.ProcessHubs;
import io.processhub.RejoinConfiguration;
import io.processhub.StartResult;
import io.processhub.strategy.MajorityQuorum;
import io.processhub.strategy.StaticQuorum;
import io.processhub.tests.children.ProbeChild;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.ignite.Ignite;
import org.apache.ignite.Ignition;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import static io.processhub.tests.HubState.assertRegistryAgrees;
import static io.processhub.tests.HubState.assertRunningOnce;
import static io.processhub.tests.HubState.localChildren;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rejoin after a real network cut heals (discovery and communication cut between in-JVM nodes, {@link NetworkCut}).
 * One cluster of five runs two hubs, one under {@link StaticQuorum} 3 and one under {@link MajorityQuorum}, each with
 * children that count their live instances in this JVM. A 3 | 2 cut, then a 4 | 1 cut (isolating the oldest node),
 * then on four nodes a 2 | 2 cut that leaves neither side quorum: the side to move stops its children; after the heal
 * its nodes restart in-process and join the other side within a bound, the other side never restarts, and then every
 * child runs exactly once and the registry (read straight from the cache) lists exactly what runs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RejoinAfterSplitTest {
    private static final String STATIC_HUB = "rejoin-static";
    private static final String MAJORITY_HUB = "rejoin-majority";
    private static final List<String> HUBS = List.of(STATIC_HUB, MAJORITY_HUB);
    private static final List<String> NODES = List.of("j1", "j2", "j3", "j4", "j5");
    private static final int CHILDREN = 100;
    /** From the heal to one cluster with every child once: a probe interval, a node restart, a refused join or two. */
    private static final Duration REJOIN_BOUND = Duration.ofSeconds(90);

    private final NetworkCut net = new NetworkCut(NODES, Set.of());
    private final Map<String, Set<String>> ids = new TreeMap<>();

    private static HubConfiguration[] hubs() {
        StaticQuorum three = new StaticQuorum();
        three.setQuorumSize(3);
        return new HubConfiguration[] {
            new HubConfiguration(STATIC_HUB).setPartitionToleranceStrategy(three),
            new HubConfiguration(MAJORITY_HUB).setPartitionToleranceStrategy(new MajorityQuorum())};
    }

    /** The node's configuration, fresh each time: also what the node restarts from. */
    private IgniteConfiguration config(String name) {
        IgniteConfiguration cfg = net.config(name, hubs());
        ((ProcessHubPluginProvider)cfg.getPluginProviders()[0]).setRejoin(new RejoinConfiguration().setEnabled(true)
            .setProbeIntervalMillis(500).setConfigurationFactory(() -> config(name)));
        return cfg;
    }

    @BeforeAll
    void startClusterAndChildren() throws Exception {
        for (String n : NODES)
            Ignition.start(config(n));
        TestCluster.await().until(() -> NODES.stream().allMatch(n -> HUBS.stream().allMatch(h -> {
            ProcessHub hub = hub(n, h);
            return !hub.isPartitioned() && hub.nodes().equals(NODES);
        })));
        for (String h : HUBS) {
            List<ChildSpec> specs = IntStream.range(0, CHILDREN)
                .mapToObj(i -> ChildSpec.of(String.format("%s-%03d", h, i), ProbeChild.class)).collect(Collectors.toList());
            StartResult res = hub("j2", h).startChildren(specs, null).get(30, TimeUnit.SECONDS);
            assertTrue(res.isOk(), res.toString());
            ids.put(h, HubState.ids(specs));
        }
        TestCluster.await().untilAsserted(() -> assertEveryChildOnce(NODES));
    }

    @AfterAll
    void stopCluster() {
        Ignition.stopAll(true);
    }

    @Test
    @Order(1)
    void theTwoNodeSideRejoinsAfterAThreeTwoSplit() {
        splitHealAndRejoin(NODES, Set.of("j4", "j5"), true);
    }

    @Test
    @Order(2)
    void theIsolatedOldestNodeRejoinsAfterAFourOneSplit() {
        splitHealAndRejoin(NODES, Set.of("j1"), true);
    }

    /**
     * Four nodes (j5 leaves for good), cut 2 | 2: neither side has quorum under either hub. Only the side without
     * the smallest consistent id (j1) moves, and the side that stays takes it in although it lacks quorum itself.
     */
    @Test
    @Order(3)
    void onlyOneSideMovesWhenAnEvenSplitLeavesBothWithoutQuorum() {
        Ignition.stop("j5", true);
        List<String> four = List.of("j1", "j2", "j3", "j4");
        TestCluster.await().untilAsserted(() -> assertEveryChildOnce(four));
        splitHealAndRejoin(four, Set.of("j2", "j3"), false);
    }

    /**
     * Cuts {@code movers} off the rest of {@code nodes}, waits for the verdicts, heals, and checks that the movers
     * (and only they) restarted and that the hubs are whole again within the bound.
     *
     * @param othersKeepQuorum whether the side that stays keeps quorum through the cut (else it runs nothing either)
     */
    private void splitHealAndRejoin(List<String> nodes, Set<String> movers, boolean othersKeepQuorum) {
        List<String> stays = new ArrayList<>(nodes);
        stays.removeAll(movers);
        Map<String, UUID> before = nodeIds(nodes);

        net.cut(movers);
        TestCluster.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertPartitionedAndIdle(movers);
            if (othersKeepQuorum)
                assertEveryChildOnce(stays);
            else
                assertPartitionedAndIdle(stays);
        });

        net.heal();
        try {
            TestCluster.await().atMost(REJOIN_BOUND).untilAsserted(() -> {
                try {
                    assertEveryChildOnce(nodes);
                }
                catch (RuntimeException e) { // a mover restarting: its node or hub cannot be read until it is back
                    throw new AssertionError("not readable yet: " + e, e);
                }
            });
        }
        catch (ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "\n" + TestCluster.describeJvm("processhub-rejoin"), e);
        }

        Map<String, UUID> after = nodeIds(nodes);
        for (String n : movers)
            assertNotEquals(before.get(n), after.get(n), n + " was on the side to move: it rejoined by restarting");
        for (String n : stays)
            assertEquals(before.get(n), after.get(n), n + " was on the side that stays: it never restarts");
    }

    private static void assertPartitionedAndIdle(Collection<String> nodes) {
        for (String n : nodes)
            for (String h : HUBS) {
                ProcessHub hub = hub(n, h);
                assertTrue(hub.isPartitioned() && hub.localChildren().isEmpty(), "hub " + h + " on " + n + " still runs or has quorum");
            }
    }

    /**
     * On {@code nodes}, which see exactly each other: every child of each hub runs exactly once (its local lists and
     * its instances counted in this JVM), every registry copy agrees, and the registry cache lists exactly what runs.
     */
    private void assertEveryChildOnce(List<String> nodes) {
        for (String h : HUBS) {
            Map<String, ProcessHub> hubs = new LinkedHashMap<>();
            for (String n : nodes) {
                ProcessHub hub = hub(n, h);
                assertEquals(nodes, hub.nodes(), "members of " + h + " seen by " + n);
                hubs.put(n, hub);
            }
            Set<String> childIds = ids.get(h);
            Map<String, ChildRef> running = assertRunningOnce(localChildren(hubs), childIds);
            List<String> notOnce = childIds.stream().filter(id -> ProbeChild.live(id) != 1)
                .map(id -> id + "=" + ProbeChild.live(id)).collect(Collectors.toList());
            assertTrue(notOnce.isEmpty(), "live instances in this JVM, not 1: " + HubState.sample(notOnce));
            assertEquals(running, assertRegistryAgrees(hubs, childIds));
            for (String n : nodes)
                assertEquals(new HashSet<>(running.values()), registeredRefs(n, h), "replicas in the registry cache as " + n + " reads it");
        }
    }

    private static Set<ChildRef> registeredRefs(String node, String hubId) {
        Set<ChildRef> res = new HashSet<>();
        for (Object v : RegistryContents.of(Ignition.ignite(node), hubId).values())
            if (v instanceof ChildRef)
                res.add((ChildRef)v);
        return res;
    }

    /** The hub on the node now running under this name: a restarted node is a new Ignite instance. */
    private static ProcessHub hub(String node, String hubId) {
        return ProcessHubs.hub(Ignition.ignite(node), hubId);
    }

    private static Map<String, UUID> nodeIds(List<String> nodes) {
        Map<String, UUID> res = new TreeMap<>();
        for (String n : nodes) {
            Ignite ignite = Ignition.ignite(n);
            res.put(n, ignite.cluster().localNode().id());
        }
        return res;
    }
}
