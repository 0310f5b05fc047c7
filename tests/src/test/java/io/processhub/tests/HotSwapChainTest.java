package io.processhub.tests;

import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import io.processhub.HubConfiguration;
import io.processhub.ProcessHub;
import io.processhub.ReplicaRole;
import io.processhub.Scope;
import io.processhub.StartOptions;
import io.processhub.examples.StatefulCounterChild;
import io.processhub.strategy.ConsistentHashing;
import io.processhub.strategy.HotSwap;
import io.processhub.strategy.Placement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * HotSwap when children move again before they settled: nodes join one right after the other, so a child that
 * was just handed over (and is not promoted yet) moves on; the replica holding its only state hands it over
 * whatever its role, so every child keeps its state.
 */
class HotSwapChainTest {
    private static final String HUB = "chain";
    private static final int N = 500;
    private static TestCluster cluster;

    @BeforeAll
    static void start() {
        cluster = new TestCluster(() -> {
            HotSwap hot = new HotSwap();
            hot.setRetention(3_000);
            return new HubConfiguration[] {new HubConfiguration(HUB).setMigrationStrategy(hot)};
        });
        cluster.start("a");
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    /** Every child runs once, on its ring owner, registered there as active on every node. */
    private static boolean settled(List<String> ids) {
        Map<String, String> running = new HashMap<>();
        for (String node : cluster.names())
            for (ChildRef r : cluster.hub(node, HUB).whichChildren(Scope.LOCAL))
                if (running.put(r.childId(), node) != null)
                    return false;
        if (running.size() != ids.size())
            return false;
        Placement ring = new ConsistentHashing().placement(cluster.names());
        for (String node : cluster.names()) {
            ProcessHub h = cluster.hub(node, HUB);
            for (String id : ids) {
                List<ChildRef> refs = h.refs(id);
                if (refs.size() != 1 || refs.get(0).role() != ReplicaRole.ACTIVE || !refs.get(0).node().equals(ring.owner(id))
                    || !ring.owner(id).equals(running.get(id)))
                    return false;
            }
        }
        return true;
    }

    @Test
    void childrenThatMoveTwiceInARowKeepTheirState() throws Exception {
        List<String> ids = IntStream.range(0, N).mapToObj(i -> "ch-" + i).collect(Collectors.toList());
        ProcessHub hub = cluster.hub("a", HUB);
        List<ChildSpec> specs = ids.stream().map(id -> ChildSpec.of(id, StatefulCounterChild.class)).collect(Collectors.toList());
        assertTrue(hub.startChildren(specs, StartOptions.defaults()).get().isOk());
        TestCluster.await().until(() -> settled(ids));
        for (int i = 0; i < N; i++)
            for (int k = 0; k <= i % 5; k++)
                hub.call(ids.get(i), "inc", Duration.ofSeconds(5)).get();

        // One right after the other: a node starts in about a second, well before the previous moves settled.
        cluster.startAll("b", "c", "d", "e", "f");
        TestCluster.await().atMost(Duration.ofSeconds(60)).until(() -> settled(ids));

        List<String> lost = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            Object count = hub.call(ids.get(i), "get", Duration.ofSeconds(5)).get();
            if (!Long.valueOf(i % 5 + 1).equals(count))
                lost.add(ids.get(i) + "=" + count);
        }
        long moved = ids.stream().filter(id -> !cluster.hub("a", HUB).activeRef(id).orElseThrow().node().equals("a")).count();
        System.out.printf("HotSwapChainTest: %d of %d children moved, %d lost their state%n", moved, N, lost.size());
        assertTrue(lost.isEmpty(), lost.size() + " children lost their state, e.g. " + lost.subList(0, Math.min(5, lost.size())));
    }
}
