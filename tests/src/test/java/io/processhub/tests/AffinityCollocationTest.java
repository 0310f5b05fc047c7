package io.processhub.tests;

import io.processhub.ChildSpec;
import io.processhub.HubAffinityFunction;
import io.processhub.HubConfiguration;
import io.processhub.ProcessHub;
import io.processhub.StartOptions;
import io.processhub.examples.CounterChild;
import io.processhub.strategy.ConsistentHashing;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.cache.CacheMode;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.configuration.CacheConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A user cache with HubAffinityFunction keeps the entry of a child id on the node that runs that child. */
class AffinityCollocationTest {
    private static final String HUB = "colo";
    private static TestCluster cluster;

    @BeforeAll
    static void start() {
        cluster = new TestCluster(() -> new HubConfiguration[] {new HubConfiguration(HUB)});
        cluster.startAll("a", "b", "c");
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void cacheEntriesLiveWithTheirChildren() throws Exception {
        Ignite a = cluster.node("a");
        IgniteCache<String, String> state = a.getOrCreateCache(new CacheConfiguration<String, String>("colo-state")
            .setCacheMode(CacheMode.PARTITIONED).setBackups(1)
            .setAffinity(new HubAffinityFunction(new ConsistentHashing()))
            .setNodeFilter(HubAffinityFunction.memberFilter(HUB)));
        ProcessHub hub = cluster.hub("a", HUB);
        List<ChildSpec> specs = IntStream.range(0, 300).mapToObj(i -> ChildSpec.of("colo-" + i, CounterChild.class))
            .collect(Collectors.toList());
        assertTrue(hub.startChildren(specs, StartOptions.defaults()).get().isOk());
        TestCluster.await().until(() -> hub.children().size() == 300);

        int onChildNode = 0;
        for (ChildSpec s : specs) {
            state.put(s.id(), "state of " + s.id());
            ClusterNode primary = a.affinity("colo-state").mapKeyToNode(s.id());
            String childNode = hub.activeRef(s.id()).orElseThrow().node();
            if (String.valueOf(primary.consistentId()).equals(childNode))
                onChildNode++;
        }
        assertEquals(300, onChildNode, "every entry's primary is the node running the child of the same id");
    }
}
