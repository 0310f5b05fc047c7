package io.processhub.tests;

import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import io.processhub.HubConfiguration;
import io.processhub.ProcessHub;
import io.processhub.StartResult;
import io.processhub.strategy.StaticQuorum;
import java.time.Duration;
import io.processhub.hook.Hook;
import io.processhub.hook.ChildrenEvent;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.processhub.tests.HubState.assertRegistryAgrees;
import static io.processhub.tests.HubState.assertRunningOnce;
import static io.processhub.tests.HubState.localChildren;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real network cut, 3 | 2, under {@link StaticQuorum} 3. The two-node minority first sees the other side fail one
 * node at a time: while it still sees 3 of the 5 members it has quorum and starts the children it then owns, and
 * their registrations stall on the unreachable side. When it sees only 2 it loses quorum and stops its children.
 * A side without quorum writes nothing: registrations still in flight at the verdict must not stay in its registry.
 */
class SplitBrainRegistryTest {
    private static final String HUB = "split";
    private static final List<String> NODES = List.of("s1", "s2", "s3", "s4", "s5");
    private static final Set<String> MINORITY = Set.of("s4", "s5");
    private static final int CHILDREN = 300;
    private static final HookLog log = new HookLog();

    private TestCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null)
            cluster.close();
    }

    private static HubConfiguration[] hubs() {
        StaticQuorum quorum = new StaticQuorum();
        quorum.setQuorumSize(3);
        return new HubConfiguration[] {new HubConfiguration(HUB).setPartitionToleranceStrategy(quorum)
            .setHooks(log.registrations())};
    }

    @Test
    void theMinorityKeepsNoRegistrationThatLandsAfterItLostQuorum() throws Exception {
        NetworkCut net = new NetworkCut(NODES, MINORITY);
        cluster = new TestCluster(SplitBrainRegistryTest::hubs);
        for (String n : NODES)
            cluster.start(net.config(n, hubs()));
        Map<String, ProcessHub> all = cluster.hubs(HUB, NODES);
        List<ChildSpec> specs = HubState.counters("sb", CHILDREN);
        Set<String> ids = HubState.ids(specs);
        TestCluster.await().until(() -> all.values().stream().allMatch(h -> !h.isPartitioned() && h.nodes().equals(NODES)));
        StartResult res = cluster.hub("s1", HUB).startChildren(specs, null).get(30, TimeUnit.SECONDS);
        assertTrue(res.isOk(), res.toString());
        TestCluster.await().untilAsserted(() -> assertEquals(assertRunningOnce(localChildren(all), ids), assertRegistryAgrees(all, ids)));
        Map<String, Object> before = registry("s4");
        int mark = log.mark();

        net.cut();

        Map<String, ProcessHub> minority = cluster.hubs(HUB, List.of("s4", "s5"));
        for (ProcessHub h : minority.values())
            TestCluster.await().until(() -> h.nodes().equals(List.of("s4", "s5")) && h.isPartitioned() && h.localChildren().isEmpty());
        // The premise: while it still saw 3 of 5 members, the minority started the children it then owned.
        TestCluster.await().until(() -> MINORITY.stream().anyMatch(node ->
            !log.since(mark, node, Hook.PRE_CHILDREN_REDISTRIBUTION, ChildrenEvent.class, e -> true).isEmpty()));
        // Their registrations wait for the side that is gone, and land (if they do) right after the verdict: nothing
        // new may stay, for a while after it.
        TestCluster.await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(30))
            .untilAsserted(() -> assertEquals(Map.of(), writtenSince(before, registry("s4")),
                "entries the minority wrote into its registry after the cut"));
    }

    /** The registry as the node's side of the cut holds it, folded from its cache. */
    private Map<String, Object> registry(String node) {
        return RegistryContents.of(cluster.node(node), HUB);
    }

    /** Entries of {@code now} that {@code before} did not have: new keys, and replicas with another value. */
    private static Map<String, Object> writtenSince(Map<String, Object> before, Map<String, Object> now) {
        Map<String, Object> res = new TreeMap<>();
        now.forEach((k, v) -> {
            Object was = before.get(k);
            if (was == null || v instanceof ChildRef && !v.equals(was))
                res.put(k.replace('\u0000', '@'), v);
        });
        return res;
    }
}
