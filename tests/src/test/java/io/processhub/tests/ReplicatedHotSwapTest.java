package io.processhub.tests;

import io.processhub.ChildSpec;
import io.processhub.HubConfiguration;
import io.processhub.ProcessHub;
import io.processhub.StartOptions;
import io.processhub.examples.StatefulCounterChild;
import io.processhub.strategy.HotSwap;
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
 * Replication (ACTIVE_PASSIVE, two copies) with HotSwap: when a node joins and becomes a child's first owner, the
 * active role moves to it and the old active replica stays as a standby. The old active replica holds the child's
 * live state, so it hands it over as it is demoted. Before, it was demoted without handing anything over and the
 * new active replica went on with an empty state.
 */
class ReplicatedHotSwapTest {
    private static final String HUB = "rhs";
    private static final int N = 200;
    private static TestCluster cluster;

    @BeforeAll
    static void start() {
        cluster = new TestCluster(() -> new HubConfiguration[] {
            new HubConfiguration(HUB).setRedundancyStrategy(Replicas.activePassive(2)).setMigrationStrategy(new HotSwap())});
        cluster.startAll("a", "b", "c", "d");
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void theActiveRoleMovesWithTheState() throws Exception {
        List<String> ids = IntStream.range(0, N).mapToObj(i -> "rhs-" + i).collect(Collectors.toList());
        ProcessHub hub = cluster.hub("a", HUB);
        List<ChildSpec> specs = ids.stream().map(id -> ChildSpec.of(id, StatefulCounterChild.class)).collect(Collectors.toList());
        assertTrue(hub.startChildren(specs, StartOptions.defaults()).get().isOk());
        TestCluster.await().until(() -> ActiveReplicaChecks.settled(cluster, HUB, ids, 2));
        Map<String, String> activeBefore = new HashMap<>();
        for (int i = 0; i < N; i++) {
            activeBefore.put(ids.get(i), hub.activeRef(ids.get(i)).orElseThrow().node());
            for (int k = 0; k <= i % 5; k++)
                hub.call(ids.get(i), "inc", Duration.ofSeconds(5)).get();
        }

        cluster.start("e");
        TestCluster.await().until(() -> ActiveReplicaChecks.settled(cluster, HUB, ids, 2));

        List<String> lost = new ArrayList<>();
        int moved = 0;
        for (int i = 0; i < N; i++) {
            String id = ids.get(i);
            if (!hub.activeRef(id).orElseThrow().node().equals(activeBefore.get(id)))
                moved++;
            Object count = hub.call(id, "get", Duration.ofSeconds(5)).get();
            if (!Long.valueOf(i % 5 + 1).equals(count))
                lost.add(id + "=" + count);
        }
        System.out.printf("ReplicatedHotSwapTest: %d of %d active replicas moved, %d children lost their state%n", moved, N, lost.size());
        assertTrue(moved > 0, "some active replicas moved to the joining node");
        assertTrue(lost.isEmpty(), lost.size() + " children lost their state, e.g. " + lost.subList(0, Math.min(5, lost.size())));
    }
}
