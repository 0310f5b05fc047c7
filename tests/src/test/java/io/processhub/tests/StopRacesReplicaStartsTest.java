package io.processhub.tests;

import io.processhub.ChildSpec;
import io.processhub.HubConfiguration;
import io.processhub.ProcessHub;
import io.processhub.Scope;
import io.processhub.StartResult;
import io.processhub.StopOptions;
import io.processhub.StopResult;
import io.processhub.strategy.PubSub;
import io.processhub.tests.children.ProbeChild;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A stop that races the reconciler starting replicas of the same children (found by the chaos run: {@code ap-972},
 * {@code ap-1064}). Two copies, active/passive. Hundreds of children are stopped while their replicas are being
 * started on a joining node (moves), and while replacements start for the replicas of a node that left. Every
 * stopped child must stay stopped: no instance runs anywhere, no registry copy lists it, and it is still so after
 * two more full reconcile passes on every node. Before the fix a replica whose registration was in flight wrote the
 * child's spec back after the stop removed it, and the child came back on its owners.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StopRacesReplicaStartsTest {
    private static final String HUB = "stop-race";
    private static final int N = 400;
    private static TestCluster cluster;

    @BeforeAll
    static void start() {
        cluster = new TestCluster(() -> {
            PubSub sync = new PubSub();
            sync.setSyncInterval(1_000); // full passes often: a child that comes back would be started by one
            return new HubConfiguration[] {
                new HubConfiguration(HUB).setRedundancyStrategy(Replicas.activePassive(2)).setSynchronizationStrategy(sync)};
        });
        cluster.startAll("a", "b", "c");
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    @Order(1)
    void childrenStoppedWhileTheirReplicasMoveToAJoiningNodeStayStopped() throws Exception {
        List<String> ids = startChildren("join-");
        // The join starts replicas on d for the children d now owns: stop every child while those starts are under way.
        CompletableFuture<Void> joined = CompletableFuture.runAsync(() -> cluster.start("d"));
        TestCluster.await().until(() -> joined.isDone() || cluster.names().contains("d") && runsAny(cluster.hub("d", HUB), "join-"));
        StopResult stopped = cluster.hub("a", HUB).stopChildren(ids, StopOptions.defaults()).get(30, TimeUnit.SECONDS);
        joined.get(60, TimeUnit.SECONDS);
        assertTrue(stopped.isOk(), stopped.toString());
        assertStayStopped(ids);
    }

    @Test
    @Order(2)
    void childrenStoppedWhileReplacementsOfALeavingNodesReplicasStartStayStopped() throws Exception {
        List<String> ids = startChildren("leave-");
        // b leaves: the others start replacements of its replicas (and promote passives); stop every child meanwhile.
        CompletableFuture<Void> left = CompletableFuture.runAsync(() -> cluster.stop("b"));
        TestCluster.await().until(() -> left.isDone() || !cluster.hub("a", HUB).nodes().contains("b"));
        StopResult stopped = cluster.hub("c", HUB).stopChildren(ids, StopOptions.defaults()).get(30, TimeUnit.SECONDS);
        left.get(60, TimeUnit.SECONDS);
        assertTrue(stopped.isOk(), stopped.toString());
        assertStayStopped(ids);
    }

    private static List<String> startChildren(String prefix) throws Exception {
        List<ChildSpec> specs = IntStream.range(0, N).mapToObj(i -> ChildSpec.of(prefix + i, ProbeChild.class))
            .collect(Collectors.toList());
        StartResult res = cluster.hub("a", HUB).startChildren(specs, null).get(30, TimeUnit.SECONDS);
        assertTrue(res.isOk(), res.toString());
        List<String> ids = specs.stream().map(ChildSpec::id).collect(Collectors.toList());
        TestCluster.await().until(() -> ids.stream().allMatch(id -> ProbeChild.live(id) == 2));
        return ids;
    }

    private static boolean runsAny(ProcessHub hub, String prefix) {
        return hub.whichChildren(Scope.LOCAL).stream().anyMatch(r -> r.childId().startsWith(prefix));
    }

    /** Nothing of {@code ids} runs or is listed anywhere, and so it stays through two more full passes on every node. */
    private static void assertStayStopped(List<String> ids) throws Exception {
        TestCluster.await().untilAsserted(() -> assertNothingLeftOf(ids));
        Map<String, Long> passes = new HashMap<>();
        for (String n : cluster.names())
            passes.put(n, JmxReader.metric(n, HUB, "reconcilePasses"));
        TestCluster.await().until(() -> {
            for (String n : cluster.names())
                if (JmxReader.metric(n, HUB, "reconcilePasses") < passes.get(n) + 2)
                    return false;
            return true;
        });
        assertNothingLeftOf(ids);
    }

    private static void assertNothingLeftOf(List<String> ids) {
        List<String> live = ids.stream().filter(id -> ProbeChild.live(id) != 0).collect(Collectors.toList());
        assertTrue(live.isEmpty(), "stopped children with live instances: " + HubState.sample(live));
        for (String n : cluster.names()) {
            ProcessHub hub = cluster.hub(n, HUB);
            List<String> listed = ids.stream().filter(id -> hub.lookup(id).isPresent()).collect(Collectors.toList());
            assertTrue(listed.isEmpty(), "stopped children in the registry as " + n + " reads it: " + HubState.sample(listed));
        }
    }
}
