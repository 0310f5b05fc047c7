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

    @Test
    void metadataTagsAreQueryableEverywhereAndAChildHandlesOneMessageAtATimeWithoutOwningAThread() throws Exception {
        ProcessHub hub = cluster.hub("b", HUB);
        int threadsBefore = Thread.activeCount();
        List<ChildSpec> specs = IntStream.range(0, 1000)
            .mapToObj(i -> ChildSpec.of("probe-" + i, io.processhub.tests.children.OverlapProbeChild.class)
                .withMetadata("tag", i % 2 == 0 ? "even" : "odd"))
            .collect(Collectors.toList());
        StartResult res = hub.startChildren(specs, StartOptions.defaults().metadata(java.util.Map.of("team", "probes"))).get();
        assertTrue(res.isOk(), res.toString());
        // Busy hubs start a few workers of their own (loop, hooks, registry writer and applier: each ends when idle)
        // and Ignite's pools may grow; a thread per child would be 1,000.
        assertTrue(Thread.activeCount() - threadsBefore < 100,
            "1000 children must not own threads: " + (Thread.activeCount() - threadsBefore) + " new threads");

        for (ProcessHub h : cluster.hubOnAll(HUB)) {
            TestCluster.await().until(() -> h.tagQuery("even").size() == 500 && h.tagQuery("odd").size() == 500);
            ChildInfo info = h.lookup("probe-3").orElseThrow();
            assertEquals(java.util.Map.of("tag", "odd", "team", "probes"), info.metadata(), "request metadata joins the spec's");
            assertEquals(1000, h.whichChildren(Scope.GLOBAL).stream().filter(r -> r.childId().startsWith("probe-")).count());
            assertTrue(!h.isLocked() && !h.isPartitioned());
        }

        // 8 callers on 3 nodes hammer the same 10 children: no instance ever handles two messages at once.
        io.processhub.tests.children.OverlapProbeChild.OVERLAPS.set(0);
        List<java.util.concurrent.CompletableFuture<Object>> replies = new ArrayList<>();
        java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(8);
        List<ProcessHub> hubs = cluster.hubOnAll(HUB);
        for (int c = 0; c < 8; c++) {
            ProcessHub from = hubs.get(c % hubs.size());
            callers.submit(() -> {
                for (int k = 0; k < 200; k++)
                    synchronized (replies) {
                        replies.add(from.call("probe-" + (k % 10), "work", Duration.ofSeconds(10)));
                    }
            });
        }
        callers.shutdown();
        assertTrue(callers.awaitTermination(60, java.util.concurrent.TimeUnit.SECONDS));
        for (java.util.concurrent.CompletableFuture<Object> r : replies)
            r.get();
        assertEquals(0, io.processhub.tests.children.OverlapProbeChild.OVERLAPS.get(), "overlapping messages");
        long handled = 0;
        for (int i = 0; i < 10; i++)
            handled += (Long)hub.call("probe-" + i, "work", Duration.ofSeconds(5)).get() - 1;
        assertEquals(1600, handled, "every message was handled exactly once");

        List<String> ids = specs.stream().map(ChildSpec::id).collect(Collectors.toList());
        assertTrue(hub.stopChildren(ids, StopOptions.defaults()).get().isOk());
    }
}
