package io.processhub.tests;

import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import io.processhub.HubConfiguration;
import io.processhub.ProcessHub;
import io.processhub.ReplicaRole;
import io.processhub.StartOptions;
import io.processhub.strategy.Replication;
import io.processhub.tests.children.RoleTimelineChild;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Calls reach the active replica only (ACTIVE_PASSIVE, three copies on four nodes): while every child is called
 * over and over, the node with the most active replicas stops and joins again; no call may be answered by a
 * replica that was not active when it answered (each child answers with the role it was last told).
 */
class ActiveCallsTest {
    private static final String HUB = "calls";
    private static final int N = 300;
    private static TestCluster cluster;

    @BeforeAll
    static void start() {
        cluster = new TestCluster(() -> {
            Replication ap = Replicas.activePassive(3);
            return new HubConfiguration[] {new HubConfiguration(HUB).setRedundancyStrategy(ap)};
        });
        cluster.startAll("a", "b", "c", "d");
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void noCallIsAnsweredByAPassiveReplicaWhileANodeLeavesAndRejoins() throws Exception {
        List<String> ids = IntStream.range(0, N).mapToObj(i -> "ac-" + i).collect(Collectors.toList());
        List<ChildSpec> specs = ids.stream().map(id -> ChildSpec.of(id, RoleTimelineChild.class)).collect(Collectors.toList());
        assertTrue(cluster.hub("a", HUB).startChildren(specs, StartOptions.defaults()).get().isOk());
        TestCluster.await().until(() -> ActiveReplicaChecks.settled(cluster, HUB, ids, 3));

        Map<String, Integer> actives = new HashMap<>();
        for (String id : ids)
            actives.merge(cluster.hub("a", HUB).activeRef(id).map(ChildRef::node).orElseThrow(), 1, Integer::sum);
        String busiest = actives.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        String caller = busiest.equals("a") ? "b" : "a";
        ProcessHub hub = cluster.hub(caller, HUB);

        AtomicBoolean calling = new AtomicBoolean(true);
        AtomicInteger answered = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        ConcurrentLinkedQueue<String> byNonActive = new ConcurrentLinkedQueue<>();
        List<Thread> callers = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            int offset = t * N / 2;
            Thread th = new Thread(() -> {
                while (calling.get()) {
                    for (int i = 0; i < N && calling.get(); i++) {
                        String id = ids.get((i + offset) % N);
                        try {
                            Object role = hub.call(id, "role", Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
                            answered.incrementAndGet();
                            if (!ReplicaRole.ACTIVE.name().equals(role))
                                byNonActive.add(id + " answered as " + role);
                        }
                        catch (Exception e) {
                            failed.incrementAndGet(); // e.g. the call was in flight to the node that left
                        }
                    }
                }
            }, "caller-" + t);
            th.start();
            callers.add(th);
        }
        try {
            cluster.stop(busiest);
            TestCluster.await().until(() -> ActiveReplicaChecks.settled(cluster, HUB, ids, 3));
            cluster.start(busiest);
            TestCluster.await().until(() -> ActiveReplicaChecks.settled(cluster, HUB, ids, 3));
            int mark = answered.get();
            TestCluster.await().until(() -> answered.get() > mark + N);
        }
        finally {
            calling.set(false);
            for (Thread th : callers)
                th.join();
        }
        System.out.printf("ActiveCallsTest: %d calls answered, %d failed, %d answered by a non-active replica%n",
            answered.get(), failed.get(), byNonActive.size());
        assertTrue(byNonActive.isEmpty(), byNonActive.size() + " calls answered by a non-active replica, e.g. "
            + byNonActive.stream().limit(5).collect(Collectors.toList()));
    }
}
