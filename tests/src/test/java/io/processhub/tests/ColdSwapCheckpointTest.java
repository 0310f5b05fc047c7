package io.processhub.tests;

import io.processhub.CheckpointConfiguration;
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
 * A graceful ColdSwap move with checkpoints (on demand only): the leaving instance takes a last checkpoint as it
 * stops, and its replica is unregistered (so the new owner starts it) only once that is stored; the new instance
 * resumes from the live state at the stop, not from the child's last own checkpoint. Hub {@code cold} on nodes
 * {@code a}, {@code b}; {@code c} joins (children move to it), then shuts down (they move back).
 */
class ColdSwapCheckpointTest {
    private static final String HUB = "cold";
    private static final List<String> IDS = IntStream.range(0, 60).mapToObj(i -> "cold-" + i).collect(Collectors.toList());

    private static TestCluster cluster;

    @BeforeAll
    static void start() {
        cluster = new TestCluster(() -> new HubConfiguration[] {new HubConfiguration(HUB)
            .setCheckpoints(new CheckpointConfiguration().setEnabled(true))});
        cluster.startAll("a", "b");
        TestCluster.await().untilAsserted(() -> assertEquals(List.of("a", "b"), cluster.hub("a", HUB).nodes()));
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void aGracefulMoveResumesFromTheLiveStateAtTheStop() throws Exception {
        ProcessHub a = cluster.hub("a", HUB);
        StartResult res = a.startChildren(IDS.stream().map(id -> ChildSpec.of(id, CheckpointChild.class))
            .collect(Collectors.toList()), StartOptions.defaults()).get();
        assertTrue(res.isOk(), res.toString());
        callEach(a, i -> "save:" + (100 + i));
        TestCluster.await().untilAsserted(() -> assertTrue(callEach(a, i -> "stored").values().stream().allMatch("yes"::equals)));
        callEach(a, i -> "set:" + (200 + i)); // live only: no checkpoint holds it

        // c joins: the children it owns now stop on a or b and start on c.
        cluster.start("c");
        Map<String, String> owners = HubState.expectedOwners(IDS, List.of("a", "b", "c"));
        Set<String> toC = IDS.stream().filter(id -> owners.get(id).equals("c")).collect(Collectors.toCollection(TreeSet::new));
        assertFalse(toC.isEmpty(), "children move to c");
        awaitOn(a, owners);
        Map<String, Object> values = callEach(a, i -> "get");
        Map<String, Object> restored = callEach(a, i -> "restored");
        for (int i = 0; i < IDS.size(); i++) {
            String id = IDS.get(i);
            assertEquals(200L + i, values.get(id), id + ": the live state at the stop");
            assertEquals(toC.contains(id) ? List.of(200L + i) : List.of(), restored.get(id), id + ": restored if it moved");
        }

        // c shuts down: its children stop there with a last checkpoint and start on a or b from it.
        callEach(a, i -> "set:" + (300 + i));
        cluster.stop("c");
        awaitOn(a, HubState.expectedOwners(IDS, List.of("a", "b")));
        values = callEach(a, i -> "get");
        restored = callEach(a, i -> "restored");
        for (int i = 0; i < IDS.size(); i++) {
            String id = IDS.get(i);
            assertEquals(300L + i, values.get(id), id + ": the live state when c left");
            assertEquals(toC.contains(id) ? List.of(300L + i) : List.of(), restored.get(id), id + ": restored as c left");
        }
    }

    private static void awaitOn(ProcessHub hub, Map<String, String> owners) {
        TestCluster.await().ignoreExceptionsInstanceOf(IgniteException.class).untilAsserted(() -> {
            for (String id : IDS)
                assertEquals(owners.get(id), hub.activeRef(id).map(r -> r.node()).orElse(null), id + " runs on its owner");
        });
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
