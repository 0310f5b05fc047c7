package io.processhub.tests;

import io.processhub.ChildError;
import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import io.processhub.HubConfiguration;
import io.processhub.ProcessHub;
import io.processhub.StartResult;
import io.processhub.StopResult;
import io.processhub.examples.CounterChild;
import io.processhub.strategy.DynamicQuorum;
import io.processhub.strategy.MajorityQuorum;
import io.processhub.strategy.PartitionToleranceStrategy;
import io.processhub.strategy.StaticQuorum;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.processhub.tests.HubState.assertPlacement;
import static io.processhub.tests.HubState.assertRegistryAgrees;
import static io.processhub.tests.HubState.assertRunningOnce;
import static io.processhub.tests.HubState.expectedOwners;
import static io.processhub.tests.HubState.localChildren;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The history-based partition strategies on real nodes: {@link MajorityQuorum} remembers the largest hub it saw
 * and stops the children of a minority until an operator resets the cluster size; {@link DynamicQuorum} trips on a
 * sudden loss and recovers when members come back; {@link StaticQuorum} without startup confirmation (ProcessHub's
 * default) lets a node that starts below quorum run children until it loses a member, and with it starts partitioned.
 * Each test needs its own strategy, so its own cluster.
 */
class QuorumStrategiesTest {
    private static final String HUB = "quorum";
    private static final int CHILDREN = 200;

    private TestCluster cluster;

    @AfterEach
    void stopCluster() {
        if (cluster != null)
            cluster.close();
        cluster = null;
    }

    private void startCluster(PartitionToleranceStrategy strategy, String... nodes) {
        cluster = new TestCluster(() -> new HubConfiguration[] {new HubConfiguration(HUB).setPartitionToleranceStrategy(strategy)});
        cluster.startAll(nodes);
    }

    private Map<String, ProcessHub> hubs(List<String> nodes) {
        return cluster.hubs(HUB, nodes);
    }

    private Set<String> startChildren(String via) throws Exception {
        List<ChildSpec> specs = HubState.counters("qs", CHILDREN);
        StartResult res = cluster.hub(via, HUB).startChildren(specs, null).get(30, TimeUnit.SECONDS);
        assertTrue(res.isOk(), res.toString());
        return HubState.ids(specs);
    }

    /** Every child runs exactly once on its owner among {@code nodes}, and every registry copy says so. */
    private void awaitRunningOnce(List<String> nodes, Set<String> ids) {
        Map<String, ProcessHub> hubs = hubs(nodes);
        Map<String, String> owners = expectedOwners(ids, nodes);
        TestCluster.await().untilAsserted(() -> {
            for (ProcessHub h : hubs.values())
                assertEquals(nodes, h.nodes());
            Map<String, ChildRef> running = assertRunningOnce(localChildren(hubs), ids);
            assertPlacement(running, owners);
            assertEquals(running, assertRegistryAgrees(hubs, ids));
        });
    }

    private void awaitPartitionedAndIdle(List<String> nodes) throws Exception {
        for (String node : nodes) {
            ProcessHub h = cluster.hub(node, HUB);
            TestCluster.await().until(() -> h.isPartitioned() && h.localChildren().isEmpty());
            StartResult refused = h.startChild(ChildSpec.of("qs-refused-" + node, CounterChild.class)).get(30, TimeUnit.SECONDS);
            assertEquals(1, refused.errors().size(), "a start on a side without quorum is refused: " + refused);
            assertEquals(ChildError.Reason.PARTITIONED, refused.errors().get(0).reason(), refused.toString());
            // Chaos run: a stop routed to a cut-off owner was answered NOT_FOUND while the child ran on the other side.
            StopResult unknown = h.stopChild("qs-unknown-" + node).get(30, TimeUnit.SECONDS);
            assertEquals(1, unknown.errors().size(), "a stop of a child this side does not run: " + unknown);
            assertEquals(ChildError.Reason.PARTITIONED, unknown.errors().get(0).reason(), "not NOT_FOUND: " + unknown);
        }
    }

    @Test
    void majorityQuorumStopsTheMinorityUntilTheClusterSizeIsReset() throws Exception {
        List<String> all = List.of("m1", "m2", "m3", "m4", "m5");
        startCluster(new MajorityQuorum(), all.toArray(new String[0]));
        Set<String> ids = startChildren("m1");
        awaitRunningOnce(all, ids);

        // 3 of the 5 seen: still a majority, the children of m4 and m5 restart on the others.
        cluster.stop("m5");
        cluster.stop("m4");
        List<String> three = List.of("m1", "m2", "m3");
        awaitRunningOnce(three, ids);
        for (ProcessHub h : hubs(three).values())
            assertFalse(h.isPartitioned(), "3 of 5 is a majority");

        // 2 of 5: a minority stops everything and refuses starts, exactly as on the losing side of a split.
        cluster.stop("m3");
        List<String> two = List.of("m1", "m2");
        awaitPartitionedAndIdle(two);

        // Bad input changes nothing: the size must be positive.
        ExecutionException bad = assertThrows(ExecutionException.class,
            () -> cluster.hub("m2", HUB).resetClusterSize(0).get(30, TimeUnit.SECONDS), "a cluster size of 0 was tried");
        assertInstanceOf(IllegalArgumentException.class, bad.getCause());
        assertTrue(cluster.hub("m1", HUB).isPartitioned());

        // The operator shrinks the cluster on purpose: both members regain quorum and run every child once.
        cluster.hub("m2", HUB).resetClusterSize(2).get(30, TimeUnit.SECONDS);
        for (ProcessHub h : hubs(two).values())
            assertFalse(h.isPartitioned(), "the reset future completes once every member applied it");
        awaitRunningOnce(two, ids);
    }

    @Test
    void dynamicQuorumTripsOnASuddenLossAndRecoversWhenMembersReturn() throws Exception {
        List<String> all = List.of("d1", "d2", "d3");
        startCluster(new DynamicQuorum().setQuorumSize(70).setThresholdTimeSeconds(3600), all.toArray(new String[0]));
        Set<String> ids = startChildren("d1");
        awaitRunningOnce(all, ids);

        // 2 of the 3 members seen within the hour: 67 % < 70 %.
        cluster.stop("d3");
        awaitPartitionedAndIdle(List.of("d1", "d2"));

        // d3 is back: nothing is down any more, the children run again, each once on its owner.
        cluster.start("d3");
        awaitRunningOnce(all, ids);
        for (ProcessHub h : hubs(all).values())
            assertFalse(h.isPartitioned());
    }

    private static StaticQuorum staticQuorum(int size, boolean startupConfirm) {
        StaticQuorum q = new StaticQuorum();
        q.setQuorumSize(size);
        q.setStartupConfirm(startupConfirm);
        return q;
    }

    @Test
    void staticQuorumWithoutStartupConfirmRunsChildrenBelowQuorumUntilAMemberIsLost() throws Exception {
        startCluster(staticQuorum(3, false), "u1");
        // Alone, below the quorum of 3: ProcessHub takes no verdict at start, so u1 runs children.
        assertFalse(cluster.hub("u1", HUB).isPartitioned(), "a node starting below quorum is not partitioned");
        Set<String> ids = startChildren("u1");
        awaitRunningOnce(List.of("u1"), ids);

        // Growing, still below quorum: nothing is lost, so both run their children.
        cluster.start("u2");
        List<String> two = List.of("u1", "u2");
        awaitRunningOnce(two, ids);
        for (ProcessHub h : hubs(two).values())
            assertFalse(h.isPartitioned(), "2 of 3, reached by growing");

        // Losing a member below quorum takes it away.
        cluster.stop("u2");
        awaitPartitionedAndIdle(List.of("u1"));

        // Reaching the quorum size gives it back: every child runs once again.
        cluster.start("u2");
        cluster.start("u3");
        List<String> three = List.of("u1", "u2", "u3");
        awaitRunningOnce(three, ids);
        for (ProcessHub h : hubs(three).values())
            assertFalse(h.isPartitioned());
    }

    @Test
    void staticQuorumWithStartupConfirmStartsPartitionedUntilTheQuorumSizeIsReached() throws Exception {
        startCluster(staticQuorum(3, true), "v1");
        awaitPartitionedAndIdle(List.of("v1"));
        cluster.start("v2");
        awaitPartitionedAndIdle(List.of("v1", "v2"));

        cluster.start("v3");
        List<String> three = List.of("v1", "v2", "v3");
        for (ProcessHub h : hubs(three).values())
            TestCluster.await().until(() -> !h.isPartitioned());
        Set<String> ids = startChildren("v2");
        awaitRunningOnce(three, ids);

        cluster.stop("v3");
        awaitPartitionedAndIdle(List.of("v1", "v2"));
    }

    @Test
    void resettingTheSizeOfAQuorumWithoutOneIsRefused() throws Exception {
        startCluster(new DynamicQuorum(), "r1", "r2");
        ExecutionException refused = assertThrows(ExecutionException.class,
            () -> cluster.hub("r1", HUB).resetClusterSize(1).get(30, TimeUnit.SECONDS), "a reset under DynamicQuorum was tried");
        assertInstanceOf(UnsupportedOperationException.class, refused.getCause());
        assertTrue(refused.getCause().getMessage().contains("no cluster size"), refused.getCause().getMessage());
        for (String n : new ArrayList<>(List.of("r1", "r2")))
            assertFalse(cluster.hub(n, HUB).isPartitioned(), "nothing changed");
    }
}
