package io.processhub.tests;

import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import io.processhub.HubConfiguration;
import io.processhub.ProcessHub;
import io.processhub.ReplicaRole;
import io.processhub.StartOptions;
import io.processhub.StartResult;
import io.processhub.tests.children.CheckpointChild;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import org.apache.ignite.IgniteException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Crash-safe state with {@code Replication} ACTIVE_PASSIVE (2 copies, ColdSwap, checkpoints on demand): nodes
 * {@code a}, {@code b} in this JVM and {@code c1} in a child JVM. Children checkpoint known values, then change them
 * without a checkpoint; {@code c1} is killed with {@code kill -9}. A child whose active replica ran on {@code c1} goes
 * on with its passive replica, promoted in place: that replica never handled a message and was never handed the live
 * state, so before it takes messages it restores the last checkpoint (never an older one, never the fresh state it
 * had as a standby), as the children themselves report. Children active elsewhere keep their live state.
 */
class CheckpointPromotionMultiJvmTest {
    private static final String HUB = "cpap";
    private static final int CHILDREN = 200;
    private static final Duration JVM_READY = Duration.ofSeconds(90);

    private static TestCluster cluster;
    private static ChildJvm c1;
    private static final List<String> IDS = new ArrayList<>();

    @BeforeAll
    static void startCluster() throws Exception {
        c1 = ChildJvm.launch("c1", TestCluster.PORT_BASE, HUB + ":checkpoints:ap").awaitReady(JVM_READY);
        cluster = new TestCluster(() -> new HubConfiguration[] {NodeMain.hub(HUB + ":checkpoints:ap")});
        cluster.start("a");
        cluster.start("b");
        for (String n : List.of("a", "b"))
            TestCluster.await().untilAsserted(() -> assertEquals(List.of("a", "b", "c1"), cluster.hub(n, HUB).nodes()));
        for (int i = 0; i < CHILDREN; i++)
            IDS.add("ap-" + i);
    }

    @AfterAll
    static void stopCluster() {
        try {
            if (c1 != null)
                c1.close();
        }
        finally {
            if (cluster != null)
                cluster.close();
        }
    }

    @Test
    void afterKill9APromotedPassiveReplicaResumesFromTheLastCheckpoint() throws Exception {
        ProcessHub a = cluster.hub("a", HUB);
        List<ChildSpec> specs = IDS.stream().map(id -> ChildSpec.of(id, CheckpointChild.class)).collect(Collectors.toList());
        StartResult res = a.startChildren(specs, StartOptions.defaults()).get();
        assertTrue(res.isOk(), res.toString());
        TestCluster.await().untilAsserted(() -> {
            for (String id : IDS) {
                assertEquals(2, a.refs(id).size(), id + " has two replicas");
                assertTrue(a.activeRef(id).isPresent(), id + " has an active replica");
            }
        });
        Set<String> activeOnC1 = new TreeSet<>();
        for (String id : IDS)
            if (a.activeRef(id).orElseThrow().node().equals("c1"))
                activeOnC1.add(id);
        assertFalse(activeOnC1.isEmpty(), "c1 runs active replicas");

        // Two checkpoints each (the second must win), then a live change that only the crash loses.
        saveAll(a, 100);
        saveAll(a, 200);
        callEach(a, i -> "set:" + (300 + i));
        Map<String, ChildRef> passives = new TreeMap<>();
        for (String id : activeOnC1)
            passives.put(id, a.refs(id).stream().filter(r -> r.role() == ReplicaRole.PASSIVE).findFirst().orElseThrow());

        c1.kill();
        TestCluster.await().ignoreExceptionsInstanceOf(IgniteException.class).untilAsserted(() -> {
            for (String n : List.of("a", "b"))
                assertEquals(List.of("a", "b"), cluster.hub(n, HUB).nodes());
            for (String id : activeOnC1)
                assertEquals(passives.get(id).node(), a.activeRef(id).map(ChildRef::node).orElse(null),
                    id + ": its passive replica is active now");
        });
        Map<String, Object> values = callEach(a, i -> "get");
        Map<String, Object> restored = callEach(a, i -> "restored");
        Map<String, Object> incarnations = callEach(a, i -> "self");
        for (int i = 0; i < CHILDREN; i++) {
            String id = IDS.get(i);
            if (activeOnC1.contains(id)) {
                assertEquals(200L + i, values.get(id), id + " resumed from its last checkpoint");
                assertEquals(List.of(200L + i), restored.get(id), id + " restored its last checkpoint, once, when promoted");
                assertEquals(passives.get(id), ((ChildRef)incarnations.get(id)).withRole(ReplicaRole.PASSIVE),
                    id + ": promoted in place, the same instance");
            }
            else {
                assertEquals(300L + i, values.get(id), id + " kept its live state");
                assertEquals(List.of(), restored.get(id), id + " was left alone");
            }
        }
    }

    /** Saves {@code base + i} in child i and waits until every child's checkpoint is stored. */
    private static void saveAll(ProcessHub hub, int base) throws Exception {
        callEach(hub, i -> "save:" + (base + i));
        TestCluster.await().untilAsserted(() -> {
            Map<String, Object> stored = callEach(hub, i -> "stored");
            List<String> notYet = stored.entrySet().stream().filter(e -> !"yes".equals(e.getValue()))
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.toList());
            assertTrue(notYet.isEmpty(), "checkpoints not stored: " + HubState.sample(notYet));
        });
    }

    /** Calls every child with its own message, all at once; answers by child id. */
    private static Map<String, Object> callEach(ProcessHub hub, IntFunction<String> message) throws Exception {
        Map<String, CompletableFuture<Object>> futures = new TreeMap<>();
        for (int i = 0; i < CHILDREN; i++)
            futures.put(IDS.get(i), hub.call(IDS.get(i), message.apply(i), Duration.ofSeconds(20)));
        Map<String, Object> res = new TreeMap<>();
        for (Map.Entry<String, CompletableFuture<Object>> e : futures.entrySet())
            res.put(e.getKey(), e.getValue().get());
        return res;
    }
}
