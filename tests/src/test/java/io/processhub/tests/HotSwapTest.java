package io.processhub.tests;

import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import io.processhub.HubConfiguration;
import io.processhub.ProcessHub;
import io.processhub.ReplicaRole;
import io.processhub.Scope;
import io.processhub.StartOptions;
import io.processhub.examples.StatefulCounterChild;
import io.processhub.hook.HandoverEvent;
import io.processhub.hook.Hook;
import io.processhub.strategy.HotSwap;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * HotSwap migration: children that move to a joining node, and children of a node that leaves gracefully,
 * keep their state; every move is reported by HANDOVER_COMPLETED on the new node; each child runs exactly once
 * and is active exactly once once the cluster settles.
 */
class HotSwapTest {
    private static final String HUB = "hot";
    private static final int N = 300;
    private static TestCluster cluster;
    private static final Set<String> handedOver = ConcurrentHashMap.newKeySet();

    @BeforeAll
    static void start() {
        cluster = new TestCluster(() -> new HubConfiguration[] {new HubConfiguration(HUB).setMigrationStrategy(new HotSwap())});
        cluster.startAll("a", "b", "c");
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static void watchHandovers(String node) {
        cluster.hub(node, HUB).hooks().register(Hook.HANDOVER_COMPLETED, "watch", 0,
            (HandoverEvent e) -> handedOver.add(e.ref().childId() + "@" + e.node()));
    }

    private static Map<String, String> placement() {
        Map<String, String> res = new HashMap<>();
        for (String node : cluster.names())
            for (ChildRef r : cluster.hub(node, HUB).whichChildren(Scope.LOCAL))
                if (res.put(r.childId(), node) != null)
                    throw new AssertionError(r.childId() + " runs twice");
        return res;
    }

    /** Every child runs once on its ring owner, and is registered once, as active, there, on every node. */
    private static boolean settled() {
        Map<String, String> running;
        try {
            running = placement();
        }
        catch (AssertionError twice) {
            return false;
        }
        if (running.size() != N)
            return false;
        io.processhub.strategy.Placement ring = new io.processhub.strategy.ConsistentHashing().placement(cluster.names());
        for (var e : running.entrySet())
            if (!ring.owner(e.getKey()).equals(e.getValue()))
                return false;
        for (String node : cluster.names()) {
            ProcessHub h = cluster.hub(node, HUB);
            for (int i = 0; i < N; i++) {
                List<ChildRef> refs = h.refs("hs-" + i);
                if (refs.size() != 1 || refs.get(0).role() != ReplicaRole.ACTIVE || !refs.get(0).node().equals(running.get("hs-" + i)))
                    return false;
            }
        }
        return true;
    }

    @Test
    void stateMovesWithChildrenWhenANodeJoinsAndWhenItLeaves() throws Exception {
        ProcessHub hub = cluster.hub("a", HUB);
        List<ChildSpec> specs = IntStream.range(0, N).mapToObj(i -> ChildSpec.of("hs-" + i, StatefulCounterChild.class))
            .collect(Collectors.toList());
        assertTrue(hub.startChildren(specs, StartOptions.defaults()).get().isOk());
        TestCluster.await().until(HotSwapTest::settled);
        for (int i = 0; i < N; i++)
            for (int k = 0; k <= i % 5; k++)
                hub.call("hs-" + i, "inc", Duration.ofSeconds(5)).get();
        Map<String, String> before = placement();

        cluster.start("d");
        watchHandovers("d");
        TestCluster.await().until(HotSwapTest::settled);
        Map<String, String> afterJoin = placement();
        int moved = 0;
        for (int i = 0; i < N; i++) {
            String id = "hs-" + i;
            assertEquals((long)(i % 5 + 1), hub.call(id, "get", Duration.ofSeconds(5)).get(), "state of " + id);
            if (!afterJoin.get(id).equals(before.get(id))) {
                moved++;
                assertEquals("d", afterJoin.get(id), "only children owned by the new node move");
                String key = id + "@d";
                TestCluster.await().until(() -> handedOver.contains(key));
            }
        }
        assertTrue(moved > 0, "some children moved to the new node");

        for (String n : List.of("a", "b", "c"))
            watchHandovers(n);
        handedOver.clear();
        cluster.stop("d");
        TestCluster.await().until(HotSwapTest::settled);
        for (int i = 0; i < N; i++) {
            String id = "hs-" + i;
            assertEquals((long)(i % 5 + 1), cluster.hub("b", HUB).call(id, "get", Duration.ofSeconds(5)).get(),
                "state of " + id + " after its node left");
        }
        Map<String, String> afterLeave = placement();
        for (var e : afterJoin.entrySet())
            if (e.getValue().equals("d"))
                assertTrue(handedOver.contains(e.getKey() + "@" + afterLeave.get(e.getKey())), "handover reported for " + e.getKey());
    }
}
