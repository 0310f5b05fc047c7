package io.processhub.tests;

import io.processhub.CheckpointConfiguration;
import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import io.processhub.HubConfiguration;
import io.processhub.ProcessHub;
import io.processhub.StartOptions;
import io.processhub.StartResult;
import io.processhub.ignite.checkpoint.CheckpointRecord;
import io.processhub.tests.children.CheckpointChild;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.IgniteCheckedException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checkpoints taken every interval, without {@code ctx.checkpoint()}: hub {@code iv} (ColdSwap, the default) on
 * nodes {@code a} and {@code b} in this JVM. Each child's live value reaches the cache by itself; when {@code b}
 * shuts down (ColdSwap hands nothing over), its children start on {@code a} from their last checkpoint.
 */
class CheckpointIntervalTest {
    private static final String HUB = "iv";
    private static final String CACHE = "processhub-checkpoints-" + HUB;
    private static final List<String> IDS = IntStream.range(0, 40).mapToObj(i -> "iv-" + i).collect(Collectors.toList());

    private static TestCluster cluster;

    @BeforeAll
    static void start() {
        cluster = new TestCluster(() -> new HubConfiguration[] {new HubConfiguration(HUB)
            .setCheckpoints(new CheckpointConfiguration().setEnabled(true).setInterval(100))});
        cluster.startAll("a", "b");
        TestCluster.await().untilAsserted(() -> assertEquals(List.of("a", "b"), cluster.hub("a", HUB).nodes()));
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void theIntervalCheckpointsLiveStateAndAColdSwapMoveRestoresIt() throws Exception {
        ProcessHub a = cluster.hub("a", HUB);
        StartResult res = a.startChildren(IDS.stream().map(id -> ChildSpec.of(id, CheckpointChild.class))
            .collect(Collectors.toList()), StartOptions.defaults()).get();
        assertTrue(res.isOk(), res.toString());
        Set<String> onB = res.started().stream().filter(r -> r.node().equals("b")).map(ChildRef::childId)
            .collect(Collectors.toCollection(TreeSet::new));
        assertFalse(onB.isEmpty());
        for (int i = 0; i < IDS.size(); i++)
            a.call(IDS.get(i), "set:" + (1000 + i), Duration.ofSeconds(10)).get(); // no ctx.checkpoint()

        Ignite node = cluster.node("a");
        IgniteCache<String, CheckpointRecord> cache = node.cache(CACHE);
        TestCluster.await().untilAsserted(() -> {
            for (int i = 0; i < IDS.size(); i++)
                assertEquals(1000L + i, stateOf(node, cache.get(IDS.get(i))), IDS.get(i) + "'s checkpoint");
        });

        cluster.stop("b");
        TestCluster.await().untilAsserted(() -> {
            for (String id : onB)
                assertTrue(a.activeRef(id).map(r -> r.node().equals("a")).orElse(false), id + " runs on a");
        });
        for (int i = 0; i < IDS.size(); i++) {
            String id = IDS.get(i);
            assertEquals(1000L + i, a.call(id, "get", Duration.ofSeconds(10)).get(), id);
            assertEquals(onB.contains(id) ? List.of(1000L + i) : List.of(), a.call(id, "restored", Duration.ofSeconds(10)).get(),
                id + ": restored from its checkpoint if it moved");
        }
    }

    private static Object stateOf(Ignite node, CheckpointRecord rec) throws IgniteCheckedException {
        return rec == null || rec.state() == null ? null
            : node.configuration().getMarshaller().unmarshal(rec.state(), CheckpointIntervalTest.class.getClassLoader());
    }
}
