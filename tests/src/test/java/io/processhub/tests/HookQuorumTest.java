package io.processhub.tests;

import io.processhub.ChildError;
import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import io.processhub.HubConfiguration;
import io.processhub.ProcessHub;
import io.processhub.StartResult;
import io.processhub.examples.CounterChild;
import io.processhub.hook.Hook;
import io.processhub.hook.QuorumEvent;
import io.processhub.hook.StartEvent;
import io.processhub.strategy.ConsistentHashing;
import io.processhub.strategy.Placement;
import io.processhub.strategy.PubSub;
import io.processhub.strategy.StaticQuorum;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * QUORUM_LOST and QUORUM_REGAINED with {@link StaticQuorum} (quorumSize = 3) on a three-node hub: one node
 * stopping takes quorum away from the two others, which stop their children and refuse starts; the node coming
 * back gives it back and every child runs again, once.
 */
class HookQuorumTest {
    private static final String HUB = "quorum";
    private static final List<String> NODES = List.of("q1", "q2", "q3");
    private static final int CHILDREN = 60;
    private static final HookLog log = new HookLog();
    private static TestCluster cluster;
    private static List<String> ids;

    static HubConfiguration[] hubs() {
        StaticQuorum quorum = new StaticQuorum();
        quorum.setQuorumSize(3);
        quorum.setStartupConfirm(true); // q1 and q2 start partitioned, so they regain quorum when q3 joins
        // No anti-entropy round within a test: what converges, converges by itself, not by the periodic repair.
        PubSub sync = new PubSub();
        sync.setSyncInterval(300_000);
        return new HubConfiguration[] {new HubConfiguration(HUB).setPartitionToleranceStrategy(quorum)
            .setSynchronizationStrategy(sync).setHooks(log.registrations())};
    }

    @BeforeAll
    static void start() throws Exception {
        cluster = new TestCluster(HookQuorumTest::hubs);
        cluster.startAll(NODES.toArray(new String[0]));
        // q1 and q2 started without quorum and gained it when q3 joined; q3 had it from its start.
        for (String node : List.of("q1", "q2"))
            TestCluster.await().until(() -> quorumEvents(0, node, Hook.QUORUM_REGAINED).size() == 1);
        for (ProcessHub h : cluster.hubOnAll(HUB))
            TestCluster.await().until(() -> !h.isPartitioned() && h.nodes().equals(NODES));
        ids = IntStream.range(0, CHILDREN).mapToObj(i -> "q-" + i).collect(Collectors.toList());
        StartResult res = cluster.hub("q1", HUB).startChildren(
            ids.stream().map(id -> ChildSpec.of(id, CounterChild.class)).collect(Collectors.toList()), null)
            .get(30, TimeUnit.SECONDS);
        assertTrue(res.isOk(), res.toString());
        awaitRunningOnceOnTheirOwners();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static List<QuorumEvent> quorumEvents(int mark, String node, Hook hook) {
        return log.since(mark, node, hook, QuorumEvent.class, e -> true);
    }

    /** Each child runs on its owner and nowhere else, and every node's registry copy says so. */
    private static void awaitRunningOnceOnTheirOwners() {
        Placement p = new ConsistentHashing().placement(NODES);
        for (String node : NODES) {
            ProcessHub h = cluster.hub(node, HUB);
            List<String> own = ids.stream().filter(id -> p.owner(id).equals(node)).sorted().collect(Collectors.toList());
            TestCluster.await().until(() -> h.localChildren().stream().map(ChildRef::childId).filter(id -> id.startsWith("q-"))
                .sorted().collect(Collectors.toList()).equals(own));
            // Reported as the children whose refs are wrong, with the refs this node shows.
            TestCluster.await().until(() -> ids.stream().filter(id -> {
                List<ChildRef> refs = h.refs(id);
                return refs.size() != 1 || !refs.get(0).node().equals(p.owner(id));
            }).map(id -> id + "@" + p.owner(id) + "=" + h.refs(id)).collect(Collectors.toList()), List::isEmpty);
        }
    }

    @Test
    void losingQuorumStopsChildrenAndRefusesStartsAndRegainingItRunsThemAgainOnce() throws Exception {
        List<String> survivors = List.of("q1", "q2");
        int mark = log.mark();
        cluster.stop("q3");

        for (String node : survivors) {
            ProcessHub h = cluster.hub(node, HUB);
            TestCluster.await().until(() -> quorumEvents(mark, node, Hook.QUORUM_LOST).size() >= 1);
            TestCluster.await().until(h::isPartitioned);
            TestCluster.await().until(() -> h.localChildren().isEmpty());
            QuorumEvent lost = quorumEvents(mark, node, Hook.QUORUM_LOST).get(0);
            assertEquals(survivors, lost.members());
            assertEquals(HUB, lost.hubId());
            // Starts are refused on this side, whichever survivor is asked.
            StartResult refused = h.startChildren(List.of(ChildSpec.of("q-new-" + node, CounterChild.class),
                ChildSpec.of("q-new-2-" + node, CounterChild.class)), null).get(30, TimeUnit.SECONDS);
            assertEquals(List.of(), refused.started());
            assertEquals(2, refused.errors().size(), refused.toString());
            for (ChildError e : refused.errors())
                assertEquals(ChildError.Reason.PARTITIONED, e.reason(), e.toString());
        }

        int mark2 = log.mark();
        cluster.start("q3");
        for (String node : survivors) {
            TestCluster.await().until(() -> quorumEvents(mark2, node, Hook.QUORUM_REGAINED).size() >= 1);
            assertEquals(NODES, quorumEvents(mark2, node, Hook.QUORUM_REGAINED).get(0).members());
        }
        for (ProcessHub h : cluster.hubOnAll(HUB))
            TestCluster.await().until(() -> !h.isPartitioned());
        awaitRunningOnceOnTheirOwners();

        // Every child was started again exactly once (PROCESS_STARTUPS on its owner), across the whole cluster.
        TestCluster.await().until(() -> startups(mark2).size() >= CHILDREN);
        StartResult accepted = cluster.hub("q2", HUB).startChild(ChildSpec.of("q-after", CounterChild.class)).get(30, TimeUnit.SECONDS);
        assertTrue(accepted.isOk(), accepted.toString());
        TestCluster.await().until(() -> startups(mark2).containsKey("q-after"));
        Map<String, List<String>> startups = startups(mark2);
        startups.remove("q-after");
        Placement p = new ConsistentHashing().placement(NODES);
        assertEquals(CHILDREN, startups.size());
        startups.forEach((id, nodes) -> assertEquals(List.of(p.owner(id)), nodes, id));
        long running = NODES.stream().mapToLong(n -> cluster.hub(n, HUB).localChildren().stream()
            .filter(r -> r.childId().startsWith("q-") && !r.childId().equals("q-after")).count()).sum();
        assertEquals(CHILDREN, running);
        for (int i = 0; i < CHILDREN; i += 7) {
            String id = "q-" + i;
            assertEquals(p.owner(id), cluster.hub("q3", HUB).call(id, "where", Duration.ofSeconds(10)).get());
        }

        // Exactly one loss and one regain on each survivor; none on the node that left and came back.
        for (String node : survivors) {
            assertEquals(1, quorumEvents(mark, node, Hook.QUORUM_LOST).size(), node);
            assertEquals(1, quorumEvents(mark, node, Hook.QUORUM_REGAINED).size(), node);
        }
        assertEquals(List.of(), quorumEvents(mark2, "q3", Hook.QUORUM_LOST));
        assertEquals(List.of(), quorumEvents(mark2, "q3", Hook.QUORUM_REGAINED));
        // The refused children never started anywhere.
        for (String node : NODES)
            assertFalse(cluster.hub(node, HUB).children().stream().anyMatch(c -> c.id().startsWith("q-new-")), node);
        assertTrue(cluster.hub("q1", HUB).stopChild("q-after").get(30, TimeUnit.SECONDS).isOk());
    }

    /** PROCESS_STARTUPS since {@code mark}: child id -> the nodes that reported starting it. */
    private static Map<String, List<String>> startups(int mark) {
        Map<String, List<String>> res = new HashMap<>();
        for (StartEvent e : log.since(mark, null, Hook.PROCESS_STARTUPS, StartEvent.class, e -> true))
            for (ChildRef r : e.started())
                res.computeIfAbsent(r.childId(), k -> new ArrayList<>()).add(e.node());
        return res;
    }
}
