package io.processhub.tests;

import io.processhub.ChildSpec;
import io.processhub.HubConfiguration;
import io.processhub.ProcessHub;
import io.processhub.ignite.registry.RegistryDelta;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import org.apache.ignite.cache.query.QueryCursor;
import org.apache.ignite.cache.query.ScanQuery;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.processhub.tests.HubState.assertRegistryAgrees;
import static io.processhub.tests.HubState.assertRunningOnce;
import static io.processhub.tests.HubState.localChildren;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The registry's logs stay short: each writer snapshots what is still current of it and removes the batches the
 * snapshot replaces; the oldest member removes a departed node's log. A node that joins afterwards reads snapshots
 * instead of whole histories and holds the same registry as the others. (Snapshots are made small and often here
 * through the operator's tuning properties.)
 */
class RegistryCompactionTest {
    private static final String HUB = "compact";
    private static TestCluster cluster;

    @BeforeAll
    static void start() {
        System.setProperty("processhub.registry.snapshotAfterChanges", "200");
        System.setProperty("processhub.registry.removalsKeptMillis", "3000");
        cluster = new TestCluster(() -> new HubConfiguration[] {new HubConfiguration(HUB)});
        cluster.startAll("k1", "k2", "k3");
    }

    @AfterAll
    static void stop() {
        cluster.close();
        System.clearProperty("processhub.registry.snapshotAfterChanges");
        System.clearProperty("processhub.registry.removalsKeptMillis");
    }

    @Test
    void logsAreSnapshottedAndJoinersReadTheSameRegistry() throws Exception {
        List<String> nodes = new ArrayList<>(List.of("k1", "k2", "k3"));
        nodes.retainAll(cluster.names());
        List<ChildSpec> specs = HubState.counters("cmp-", 900);
        Set<String> live = new HashSet<>(HubState.ids(specs));
        // Churn from every node: starts in batches, then every third child stopped.
        for (int i = 0; i < specs.size(); i += 100)
            assertTrue(cluster.hub(nodes.get(i / 100 % 3), HUB).startChildren(specs.subList(i, i + 100), null).get(30, TimeUnit.SECONDS).isOk());
        List<String> stopped = new ArrayList<>();
        for (int i = 0; i < specs.size(); i += 3)
            stopped.add(specs.get(i).id());
        cluster.hub("k2", HUB).stopChildren(stopped, null).get(30, TimeUnit.SECONDS);
        live.removeAll(stopped);

        TestCluster.await().untilAsserted(() -> {
            Map<String, List<RegistryDelta>> logs = logs("k1");
            for (String node : nodes) {
                List<RegistryDelta> log = logs.get(id(node));
                assertTrue(log != null && log.get(0).startsSnapshot(), node + "'s log begins with a snapshot: " + log);
            }
        });
        Map<String, List<RegistryDelta>> logs = logs("k1");
        for (List<RegistryDelta> log : logs.values())
            for (int i = 1; i < log.size(); i++)
                assertEquals(log.get(i - 1).seq() + 1, log.get(i).seq(), "no hole after the snapshot: " + log);

        cluster.start("k4");
        nodes.add("k4");
        Map<String, ProcessHub> hubs = cluster.hubs(HUB, nodes);
        TestCluster.await().untilAsserted(() -> assertEquals(assertRunningOnce(localChildren(hubs), live), assertRegistryAgrees(hubs, live)));
        assertEquals(registryKeys(cluster.hub("k1", HUB)), RegistryContents.of(cluster.node("k4"), HUB).keySet(),
            "the cache, folded, holds what the nodes hold");
    }

    @Test
    void theLogOfADepartedNodeIsRemovedAndNothingIsLost() throws Exception {
        cluster.start("k5");
        List<ChildSpec> specs = HubState.counters("dep-", 300);
        assertTrue(cluster.hub("k5", HUB).startChildren(specs, null).get(30, TimeUnit.SECONDS).isOk());
        String departed = id("k5");
        TestCluster.await().until(() -> logs("k1").containsKey(departed));

        cluster.stop("k5");

        TestCluster.await().until(() -> !logs("k1").containsKey(departed));
        Map<String, ProcessHub> hubs = cluster.hubs(HUB, cluster.names());
        Set<String> live = new HashSet<>(registryKeys(cluster.hub("k1", HUB)));
        live.removeIf(k -> k.indexOf('\u0000') >= 0);
        assertTrue(live.containsAll(HubState.ids(specs)), "the departed node's children are still wanted");
        TestCluster.await().untilAsserted(() -> assertEquals(assertRunningOnce(localChildren(hubs), live), assertRegistryAgrees(hubs, live)));
        assertFalse(RegistryContents.of(cluster.node("k1"), HUB).isEmpty());
        assertEquals(registryKeys(cluster.hub("k1", HUB)), RegistryContents.of(cluster.node("k1"), HUB).keySet());
    }

    private static String id(String node) {
        return cluster.node(node).cluster().localNode().id().toString();
    }

    /** Each writer's batches in the cache, in seq order. */
    private static Map<String, List<RegistryDelta>> logs(String node) {
        Map<String, List<RegistryDelta>> res = new HashMap<>();
        try (QueryCursor<Cache.Entry<String, Object>> scan =
                 cluster.node(node).<String, Object>cache("processhub-registry-" + HUB).query(new ScanQuery<>())) {
            for (Cache.Entry<String, Object> e : scan) {
                RegistryDelta d = (RegistryDelta)e.getValue();
                res.computeIfAbsent(d.writer().toString(), k -> new ArrayList<>()).add(d);
            }
        }
        res.values().forEach(l -> l.sort(java.util.Comparator.comparingLong(RegistryDelta::seq)));
        return res;
    }

    /** The logical keys a node's registry copy holds: specs by child id, replicas by child id + NUL + node id. */
    private static Set<String> registryKeys(ProcessHub hub) {
        Set<String> res = new HashSet<>();
        for (io.processhub.ChildInfo info : hub.children()) {
            res.add(info.id());
            for (io.processhub.ChildRef r : info.refs())
                res.add(info.id() + '\u0000' + r.nodeId());
        }
        return res;
    }
}
