package io.processhub.tests;

import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import io.processhub.HubConfiguration;
import io.processhub.ProcessHub;
import io.processhub.StartOptions;
import io.processhub.tests.children.CastRecordingChild;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Casts reach the active replica only (ACTIVE_PASSIVE, three copies on four nodes): while every child gets casts over
 * and over, the node with the most active replicas stops and joins again; a cast that reaches a replica that is not
 * (or no longer) active is passed on to the active one, never handled by the passive one.
 */
class ActiveCastsTest {
    private static final String HUB = "casts";
    private static final int N = 200;
    private static TestCluster cluster;

    @BeforeAll
    static void start() {
        cluster = new TestCluster(() -> new HubConfiguration[] {new HubConfiguration(HUB).setRedundancyStrategy(Replicas.activePassive(3))});
        cluster.startAll("a", "b", "c", "d");
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void noCastIsHandledByAPassiveReplicaWhileANodeLeavesAndRejoins() throws Exception {
        List<String> ids = IntStream.range(0, N).mapToObj(i -> "acast-" + i).collect(Collectors.toList());
        List<ChildSpec> specs = ids.stream().map(id -> ChildSpec.of(id, CastRecordingChild.class)).collect(Collectors.toList());
        assertTrue(cluster.hub("a", HUB).startChildren(specs, StartOptions.defaults()).get().isOk());
        TestCluster.await().until(() -> ActiveReplicaChecks.settled(cluster, HUB, ids, 3));

        Map<String, Integer> actives = new HashMap<>();
        for (String id : ids)
            actives.merge(cluster.hub("a", HUB).activeRef(id).map(ChildRef::node).orElseThrow(), 1, Integer::sum);
        String busiest = actives.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        ProcessHub hub = cluster.hub(busiest.equals("a") ? "b" : "a", HUB);

        AtomicBoolean casting = new AtomicBoolean(true);
        AtomicLong sent = new AtomicLong();
        Thread caster = new Thread(() -> {
            while (casting.get()) {
                for (String id : ids) {
                    try {
                        hub.cast(id, "cast");
                        sent.incrementAndGet();
                    }
                    catch (RuntimeException e) {
                        // not counted: the test is about where casts are handled
                    }
                }
                try {
                    Thread.sleep(10); // paces the load; not a wait for the cluster
                }
                catch (InterruptedException e) {
                    return;
                }
            }
        }, "caster");
        caster.start();
        try {
            cluster.stop(busiest);
            TestCluster.await().until(() -> ActiveReplicaChecks.settled(cluster, HUB, ids, 3));
            cluster.start(busiest);
            TestCluster.await().until(() -> ActiveReplicaChecks.settled(cluster, HUB, ids, 3));
            long mark = handled();
            TestCluster.await().until(() -> handled() > mark + 2 * N);
        }
        finally {
            casting.set(false);
            caster.join();
        }
        System.out.printf("ActiveCastsTest: %d casts sent, %d handled, %d by a non-active replica%n", sent.get(), handled(),
            CastRecordingChild.BY_NON_ACTIVE.size());
        assertTrue(CastRecordingChild.BY_NON_ACTIVE.isEmpty(), CastRecordingChild.BY_NON_ACTIVE.size()
            + " casts handled by a non-active replica, e.g. " + CastRecordingChild.BY_NON_ACTIVE.stream().limit(5).collect(Collectors.toList()));
    }

    private static long handled() {
        return CastRecordingChild.HANDLED.values().stream().mapToLong(LongAdder::sum).sum();
    }
}
