package io.processhub.tests;

import io.processhub.CheckpointConfiguration;
import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import io.processhub.HubConfiguration;
import io.processhub.ProcessHub;
import io.processhub.StartOptions;
import io.processhub.StartResult;
import io.processhub.strategy.Replication;
import io.processhub.tests.children.CheckpointChild;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.ignite.IgniteException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A planned join under {@code Replication} ACTIVE_PASSIVE (2 copies) with ColdSwap and checkpoints on demand: the
 * active role of the children the new node owns first moves to its fresh passive replica, and no state is handed
 * over. The old active replica leaves its live state as a last checkpoint as it is demoted (or stopped), and the
 * new one restores it as it is promoted, before it takes messages. Hub {@code coldap} on {@code a}, {@code b}; {@code c} joins.
 */
class ColdSwapReplicationCheckpointTest {
    private static final String HUB = "coldap";
    private static final List<String> IDS = IntStream.range(0, 60).mapToObj(i -> "coldap-" + i).collect(Collectors.toList());

    private static TestCluster cluster;

    @BeforeAll
    static void start() {
        cluster = new TestCluster(() -> {
            Replication ap = new Replication();
            ap.setReplicationFactor(2);
            ap.setReplicationModel(Replication.ReplicationModel.ACTIVE_PASSIVE);
            return new HubConfiguration[] {new HubConfiguration(HUB).setRedundancyStrategy(ap)
                .setCheckpoints(new CheckpointConfiguration().setEnabled(true))};
        });
        cluster.startAll("a", "b");
        TestCluster.await().untilAsserted(() -> assertEquals(List.of("a", "b"), cluster.hub("a", HUB).nodes()));
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void theNewActiveReplicaResumesFromTheLiveStateOfTheDemotedOne() throws Exception {
        ProcessHub a = cluster.hub("a", HUB);
        StartResult res = a.startChildren(IDS.stream().map(id -> ChildSpec.of(id, CheckpointChild.class))
            .collect(Collectors.toList()), StartOptions.defaults()).get();
        assertTrue(res.isOk(), res.toString());
        TestCluster.await().untilAsserted(() -> {
            for (String id : IDS)
                assertTrue(a.activeRef(id).isPresent() && a.refs(id).size() == 2, id + ": two replicas, one active");
        });
        callEach(a, i -> "save:" + (100 + i));
        TestCluster.await().untilAsserted(() -> assertTrue(callEach(a, i -> "stored").values().stream().allMatch("yes"::equals)));
        callEach(a, i -> "set:" + (200 + i)); // live only: no checkpoint holds it
        Map<String, String> activeBefore = new TreeMap<>();
        for (String id : IDS)
            activeBefore.put(id, a.activeRef(id).orElseThrow().node());

        cluster.start("c");
        Map<String, String> owners = HubState.expectedOwners(IDS, List.of("a", "b", "c"));
        assertTrue(owners.containsValue("c"), "c is the first owner of some children");
        TestCluster.await().ignoreExceptionsInstanceOf(IgniteException.class).untilAsserted(() -> {
            for (String id : IDS)
                assertEquals(owners.get(id), a.activeRef(id).map(ChildRef::node).orElse(null), id + " is active on its first owner");
        });
        Map<String, Object> values = callEach(a, i -> "get");
        Map<String, Object> restored = callEach(a, i -> "restored");
        int moved = 0;
        for (int i = 0; i < IDS.size(); i++) {
            String id = IDS.get(i);
            assertEquals(200L + i, values.get(id), id + ": the live state of the replica active before");
            if (!owners.get(id).equals(activeBefore.get(id))) {
                moved++;
                assertEquals(List.of(200L + i), restored.get(id), id + ": restored the last checkpoint when promoted");
            }
        }
        assertFalse(moved == 0, "the active role of some children moved");
    }

    /** Calls every child with its own message, all at once; answers by child id. */
    private static Map<String, Object> callEach(ProcessHub hub, IntFunction<String> message) throws Exception {
        Map<String, CompletableFuture<Object>> futures = new TreeMap<>();
        for (int i = 0; i < IDS.size(); i++)
            futures.put(IDS.get(i), hub.call(IDS.get(i), message.apply(i), Duration.ofSeconds(20)));
        Map<String, Object> res = new TreeMap<>();
        for (Map.Entry<String, CompletableFuture<Object>> e : futures.entrySet())
            res.put(e.getKey(), e.getValue().get());
        return res;
    }
}
