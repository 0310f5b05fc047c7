package io.processhub.tests;

import io.processhub.ChildSpec;
import io.processhub.HubConfiguration;
import io.processhub.ProcessHub;
import io.processhub.StartOptions;
import io.processhub.strategy.HotSwap;
import io.processhub.tests.children.SequenceChild;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Casts across HotSwap moves: one sender casts numbered messages to many stateful children without pause while a
 * node joins, another leaves gracefully and a third is drained and undrained. Every child handles every cast exactly
 * once, in the order it was sent ({@link SequenceChild} records a gap, a repeat or an overtaking).
 */
class OrderedCastsTest {
    private static final String HUB = "ordered";
    private static final int N = 300;
    private static TestCluster cluster;

    @BeforeAll
    static void start() {
        cluster = new TestCluster(() -> new HubConfiguration[] {new HubConfiguration(HUB).setMigrationStrategy(new HotSwap())});
        cluster.startAll("a", "b", "c");
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void everyCastIsHandledOnceAndInOrderAcrossAJoinAGracefulLeaveAndADrain() throws Exception {
        List<String> ids = IntStream.range(0, N).mapToObj(i -> "oc-" + i).collect(Collectors.toList());
        ProcessHub hub = cluster.hub("a", HUB);
        List<ChildSpec> specs = ids.stream().map(id -> ChildSpec.of(id, SequenceChild.class)).collect(Collectors.toList());
        assertTrue(hub.startChildren(specs, StartOptions.defaults()).get().isOk());
        TestCluster.await().until(() -> ActiveReplicaChecks.settled(cluster, HUB, ids, 1));

        SequencedLoad load = new SequencedLoad("ordered", hub, ids, 0);
        try {
            moreCasts(load);
            cluster.start("d");
            TestCluster.await().until(() -> ActiveReplicaChecks.settled(cluster, HUB, ids, 1));
            moreCasts(load);
            cluster.stop("c"); // gracefully: its children's states go to their next owners
            TestCluster.await().until(() -> ActiveReplicaChecks.settled(cluster, HUB, ids, 1));
            moreCasts(load);
            hub.drain("b").get(2, TimeUnit.MINUTES);
            moreCasts(load);
            hub.undrain("b").get(1, TimeUnit.MINUTES);
            TestCluster.await().until(() -> ActiveReplicaChecks.settled(cluster, HUB, ids, 1));
            moreCasts(load);
        }
        finally {
            load.close();
        }
        List<String> missing = castsMissing(hub, ids, load);
        List<String> disorder = SequenceChild.DISORDER.stream().filter(d -> d.contains(" cast:ordered")).collect(Collectors.toList());
        System.out.printf("OrderedCastsTest: %d casts sent, %d failed, %d out of order, %d children lack casts %s%n",
            load.cast.values().stream().mapToLong(a -> a.sum()).sum(), load.failures.size(), disorder.size(), missing.size(),
            missing.stream().limit(5).collect(Collectors.toList()));
        assertTrue(load.failures.isEmpty(), load.failures.size() + " casts failed, e.g. "
            + load.failures.stream().limit(5).collect(Collectors.toList()));
        assertTrue(disorder.isEmpty(), disorder.size() + " casts handled out of order or twice, e.g. "
            + disorder.stream().limit(5).collect(Collectors.toList()));
        assertTrue(missing.isEmpty(), missing.size() + " children lack casts, e.g. "
            + missing.stream().limit(5).collect(Collectors.toList()));
    }

    /** The children whose count of casts differs from the casts sent to them, once none differs or 30 s passed. */
    private static List<String> castsMissing(ProcessHub hub, List<String> ids, SequencedLoad load) throws Exception {
        try {
            TestCluster.await().until(() -> castsMissingNow(hub, ids, load).isEmpty());
            return List.of();
        }
        catch (ConditionTimeoutException e) {
            return castsMissingNow(hub, ids, load);
        }
    }

    private static List<String> castsMissingNow(ProcessHub hub, List<String> ids, SequencedLoad load) throws Exception {
        List<String> res = new ArrayList<>();
        for (String id : ids) {
            long got = (long)hub.call(id, "count:cast:" + load.name, Duration.ofSeconds(5)).get();
            if (got != load.cast.get(id).sum())
                res.add(id + " got " + got + " of " + load.cast.get(id).sum());
        }
        return res;
    }

    /** Lets the load go on until every child got a few more casts. */
    private static void moreCasts(SequencedLoad load) {
        long mark = sent(load);
        TestCluster.await().until(() -> sent(load) > mark + 3 * N);
    }

    private static long sent(SequencedLoad load) {
        return load.cast.values().stream().mapToLong(a -> a.sum()).sum();
    }
}
