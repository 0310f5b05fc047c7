package io.processhub.tests;

import io.processhub.ChildInfo;
import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import io.processhub.HubConfiguration;
import io.processhub.ProcessHub;
import io.processhub.Scope;
import io.processhub.StartOptions;
import io.processhub.StartResult;
import io.processhub.StopResult;
import io.processhub.StopOptions;
import io.processhub.examples.CounterChild;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Three nodes, one hub, a thousand children: start, registry on every node, calls, stop. */
class ClusterBasicsTest {
    private static final String HUB = "basics";
    private static TestCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = new TestCluster(() -> new HubConfiguration[] {new HubConfiguration(HUB)});
        cluster.startAll("a", "b", "c");
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Test
    void thousandChildrenStartOnceAndEveryNodeSeesThem() throws Exception {
        ProcessHub hub = cluster.hub("a", HUB);
        List<ChildSpec> specs = IntStream.range(0, 1000)
            .mapToObj(i -> ChildSpec.of("counter-" + i, CounterChild.class))
            .collect(Collectors.toList());

        StartResult res = hub.startChildren(specs, StartOptions.defaults()).get();

        assertTrue(res.isOk(), res.toString());
        assertEquals(1000, res.started().size());
        for (ProcessHub h : cluster.hubOnAll(HUB))
            TestCluster.await().until(() -> h.children().stream().filter(c -> c.id().startsWith("counter-")).count() == 1000);
        int running = 0;
        Set<String> owners = new HashSet<>();
        for (ProcessHub h : cluster.hubOnAll(HUB)) {
            List<ChildRef> local = h.whichChildren(Scope.LOCAL);
            running += local.size();
            local.forEach(r -> owners.add(r.node()));
        }
        assertEquals(1000, running, "every child runs exactly once");
        assertEquals(Set.of("a", "b", "c"), owners, "children spread over all nodes");

        for (int i = 0; i < 1000; i += 97) {
            String id = "counter-" + i;
            ChildRef ref = cluster.hub("b", HUB).activeRef(id).orElseThrow();
            assertEquals(ref.node(), cluster.hub("c", HUB).call(id, "where", Duration.ofSeconds(5)).get());
            assertEquals(1L, cluster.hub("c", HUB).call(id, "inc", Duration.ofSeconds(5)).get());
        }

        List<String> ids = specs.stream().map(ChildSpec::id).collect(Collectors.toList());
        StopResult stop = cluster.hub("c", HUB).stopChildren(ids, StopOptions.defaults()).get();
        assertTrue(stop.isOk(), stop.toString());
        assertEquals(1000, stop.stopped().size());
        for (ProcessHub h : cluster.hubOnAll(HUB)) {
            TestCluster.await().until(() -> h.children().stream().noneMatch(c -> c.id().startsWith("counter-")));
            assertTrue(h.whichChildren(Scope.LOCAL).stream().noneMatch(r -> r.childId().startsWith("counter-")));
        }
    }
}
