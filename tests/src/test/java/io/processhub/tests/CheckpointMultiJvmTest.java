package io.processhub.tests;

import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import io.processhub.HubConfiguration;
import io.processhub.ProcessHub;
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
import java.util.stream.Collectors;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.IgniteException;
import org.apache.ignite.cache.CachePeekMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Crash-safe state: hub {@code cp} keeps checkpoints (HotSwap migration), hub {@code plain} has the defaults. Nodes
 * {@code a}, {@code b} in this JVM and {@code c1} in a child JVM. Children checkpoint known values, then change them
 * without a checkpoint; {@code c1} is killed with {@code kill -9}; every child of {@code c1} resumes on a survivor
 * from its last checkpoint (never an older one, never its lost live value), as the children themselves report what
 * they restored. Then: a stop deletes the checkpoint, a hub without checkpoints has no cache, and a graceful leave
 * still hands the live state over.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CheckpointMultiJvmTest {
    private static final String HUB = "cp";
    private static final String PLAIN = "plain";
    private static final String CACHE = "processhub-checkpoints-" + HUB;
    private static final int CHILDREN = 300;
    private static final Duration JVM_READY = Duration.ofSeconds(90);

    private static TestCluster cluster;
    private static ChildJvm c1;
    private static final List<String> IDS = new ArrayList<>();

    @BeforeAll
    static void startCluster() throws Exception {
        c1 = ChildJvm.launch("c1", TestCluster.PORT_BASE, HUB + ":checkpoints:hotswap", PLAIN).awaitReady(JVM_READY);
        cluster = new TestCluster(() -> new HubConfiguration[] {NodeMain.hub(HUB + ":checkpoints:hotswap"), new HubConfiguration(PLAIN)});
        cluster.start("a");
        cluster.start("b");
        for (String n : List.of("a", "b"))
            TestCluster.await().untilAsserted(() -> assertEquals(List.of("a", "b", "c1"), cluster.hub(n, HUB).nodes()));
        for (int i = 0; i < CHILDREN; i++)
            IDS.add("cp-" + i);
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
    @Order(1)
    void afterKill9EveryChildResumesFromItsLastCheckpoint() throws Exception {
        ProcessHub a = cluster.hub("a", HUB);
        List<ChildSpec> specs = IDS.stream().map(id -> ChildSpec.of(id, CheckpointChild.class)).collect(Collectors.toList());
        StartResult res = a.startChildren(specs, StartOptions.defaults()).get();
        assertTrue(res.isOk(), res.toString());
        Set<String> onC1 = res.started().stream().filter(r -> r.node().equals("c1")).map(ChildRef::childId)
            .collect(Collectors.toCollection(TreeSet::new));
        assertFalse(onC1.isEmpty(), "c1 runs children");

        // Two checkpoints each (the second must win), then a live change that only the crash loses.
        saveAll(a, 100);
        saveAll(a, 200);
        callEach(a, i -> "set:" + (300 + i));
        // The node that will take each child of c1 over holds its checkpoint already: a backup, on the ring's next owner.
        Map<String, String> nextOwners = HubState.expectedOwners(onC1, List.of("a", "b"));
        for (String id : onC1)
            assertNotNull(cluster.node(nextOwners.get(id)).cache(CACHE).localPeek(id, CachePeekMode.BACKUP),
                id + ": a backup of its checkpoint on " + nextOwners.get(id));

        c1.kill();
        TestCluster.await().ignoreExceptionsInstanceOf(IgniteException.class).untilAsserted(() -> {
            for (String n : List.of("a", "b"))
                assertEquals(List.of("a", "b"), cluster.hub(n, HUB).nodes());
            for (String id : onC1)
                assertTrue(a.activeRef(id).map(r -> !r.node().equals("c1")).orElse(false), id + " runs on a survivor");
        });
        Map<String, Object> values = callEach(a, i -> "get");
        Map<String, Object> restored = callEach(a, i -> "restored");
        for (int i = 0; i < CHILDREN; i++) {
            String id = IDS.get(i);
            if (onC1.contains(id)) {
                assertEquals(200L + i, values.get(id), id + " resumed from its last checkpoint");
                assertEquals(List.of(200L + i), restored.get(id), id + " restored its last checkpoint, once");
            }
            else {
                assertEquals(300L + i, values.get(id), id + " kept its live state");
                assertEquals(List.of(), restored.get(id), id + " was left alone");
            }
        }
    }

    @Test
    @Order(2)
    void aStopDeletesTheCheckpoint() throws Exception {
        ProcessHub a = cluster.hub("a", HUB);
        String id = IDS.get(0);
        IgniteCache<String, Object> cache = cluster.node("a").cache(CACHE);
        assertEquals(200L, a.call(id, "get", Duration.ofSeconds(10)).get());
        assertTrue(cache.containsKey(id));
        assertTrue(a.stopChild(id).get().isOk());
        TestCluster.await().until(() -> !cache.containsKey(id));

        assertTrue(a.startChild(ChildSpec.of(id, CheckpointChild.class)).get().isOk());
        assertEquals(0L, a.call(id, "get", Duration.ofSeconds(10)).get(), "started anew: nothing to restore");
        assertEquals(List.of(), a.call(id, "restored", Duration.ofSeconds(10)).get());
        a.call(id, "save:200", Duration.ofSeconds(10)).get();
        TestCluster.await().until(() -> "yes".equals(a.call(id, "stored", Duration.ofSeconds(10)).get()));
    }

    @Test
    @Order(3)
    void aHubWithoutCheckpointsHasNoCacheAndRefusesThem() throws Exception {
        assertTrue(cluster.node("a").cacheNames().contains(CACHE));
        assertFalse(cluster.node("a").cacheNames().contains("processhub-checkpoints-" + PLAIN), "off by default: no cache");
        ProcessHub plain = cluster.hub("a", PLAIN);
        assertTrue(plain.startChild(ChildSpec.of("plain-1", CheckpointChild.class)).get().isOk());
        plain.call("plain-1", "save:5", Duration.ofSeconds(10)).get();
        TestCluster.await().untilAsserted(() -> {
            String stored = (String)plain.call("plain-1", "stored", Duration.ofSeconds(10)).get();
            assertTrue(stored.startsWith("failed:") && stored.contains("keeps no checkpoints"), stored);
        });
    }

    @Test
    @Order(4)
    void aGracefulLeaveStillHandsTheLiveStateOver() throws Exception {
        ProcessHub a = cluster.hub("a", HUB);
        Set<String> onB = new TreeSet<>();
        for (String id : IDS)
            if (a.activeRef(id).orElseThrow().node().equals("b"))
                onB.add(id);
        assertFalse(onB.isEmpty(), "b runs children");
        callEach(a, i -> "set:" + (400 + i)); // newer than every checkpoint
        cluster.stop("b");
        TestCluster.await().ignoreExceptionsInstanceOf(IgniteException.class).untilAsserted(() -> {
            for (String id : onB)
                assertTrue(a.activeRef(id).map(r -> r.node().equals("a")).orElse(false), id + " runs on a");
        });
        Map<String, Object> values = callEach(a, i -> "get");
        Map<String, Object> restored = callEach(a, i -> "restored");
        for (int i = 0; i < CHILDREN; i++) {
            String id = IDS.get(i);
            assertEquals(400L + i, values.get(id), id + " has its live state");
            if (onB.contains(id)) {
                @SuppressWarnings("unchecked")
                List<Long> got = (List<Long>)restored.get(id);
                assertEquals(List.of(400L + i), got, id + " was handed its live state, not a checkpoint");
            }
        }
    }

    private interface Message {
        String of(int index);
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
    private static Map<String, Object> callEach(ProcessHub hub, Message message) throws Exception {
        Map<String, java.util.concurrent.CompletableFuture<Object>> futures = new TreeMap<>();
        for (int i = 0; i < CHILDREN; i++)
            futures.put(IDS.get(i), hub.call(IDS.get(i), message.of(i), Duration.ofSeconds(20)));
        Map<String, Object> res = new TreeMap<>();
        for (Map.Entry<String, java.util.concurrent.CompletableFuture<Object>> e : futures.entrySet())
            res.put(e.getKey(), e.getValue().get());
        return res;
    }
}
