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
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No failed call during a HotSwap handover: under constant call and cast load, a fourth node joins and later leaves
 * gracefully. No call fails, every acknowledged call and every cast is in the children's state afterwards (also the
 * casts sent to d as it stops), and each child handled each sender's messages in the order they were sent, each once
 * ({@link SequenceChild}).
 */
class HandoverCallsTest {
    private static final String HUB = "handover";
    private static final int N = 200;
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
    void noCallFailsAndNoMessageIsLostOrReorderedWhileANodeJoinsAndLeaves() throws Exception {
        List<String> ids = IntStream.range(0, N).mapToObj(i -> "ho-" + i).collect(Collectors.toList());
        ProcessHub hub = cluster.hub("a", HUB);
        List<ChildSpec> specs = ids.stream().map(id -> ChildSpec.of(id, SequenceChild.class)).collect(Collectors.toList());
        assertTrue(hub.startChildren(specs, StartOptions.defaults()).get().isOk());
        TestCluster.await().until(() -> ActiveReplicaChecks.settled(cluster, HUB, ids, 1));

        SequencedLoad join = new SequencedLoad("join", hub, ids, 2);
        try {
            moreCalls(join);
            cluster.start("d");
            TestCluster.await().until(() -> ActiveReplicaChecks.settled(cluster, HUB, ids, 1));
            moreCalls(join);
        }
        finally {
            join.close();
        }
        check("join", hub, ids, join);
        List<String> castsMissing = castsMissing(hub, ids, join);
        assertTrue(castsMissing.isEmpty(), castsMissing.size() + " children lack casts sent while d joined, e.g. "
            + castsMissing.stream().limit(5).collect(Collectors.toList()));

        SequencedLoad leave = new SequencedLoad("leave", hub, ids, 2);
        try {
            moreCalls(leave);
            cluster.stop("d"); // gracefully: its children's states go to their next owners
            TestCluster.await().until(() -> ActiveReplicaChecks.settled(cluster, HUB, ids, 1));
            moreCalls(leave);
        }
        finally {
            leave.close();
        }
        check("leave", hub, ids, leave);
        List<String> lostWhileLeaving = castsMissing(hub, ids, leave);
        assertTrue(lostWhileLeaving.isEmpty(), lostWhileLeaving.size() + " children lack casts sent while d left, e.g. "
            + lostWhileLeaving.stream().limit(5).collect(Collectors.toList()));
    }

    /** No call failed, every acknowledged call is in its child's state, and each child got each sender's calls in order. */
    private static void check(String phase, ProcessHub hub, List<String> ids, SequencedLoad load) throws Exception {
        List<String> callsOutOfOrder = SequenceChild.DISORDER.stream().filter(d -> d.contains(" call:" + phase)).collect(Collectors.toList());
        List<String> castsOutOfOrder = SequenceChild.DISORDER.stream().filter(d -> d.contains(" cast:" + phase)).collect(Collectors.toList());
        System.out.printf("HandoverCallsTest, %s: %d calls acknowledged, %d failed, %d calls and %d casts out of order %s%n", phase,
            load.calls.get(), load.failures.size(), callsOutOfOrder.size(), castsOutOfOrder.size(),
            castsOutOfOrder.stream().limit(5).collect(Collectors.toList()));
        assertTrue(load.failures.isEmpty(), load.failures.size() + " calls or casts failed, e.g. "
            + load.failures.stream().limit(5).collect(Collectors.toList()));
        for (String id : ids)
            assertEquals(load.acknowledged.get(id).sum(), hub.call(id, "count:call:" + phase, Duration.ofSeconds(5)).get(),
                "acknowledged calls kept by " + id);
        assertTrue(callsOutOfOrder.isEmpty(), callsOutOfOrder.size() + " calls out of their caller's order, e.g. "
            + callsOutOfOrder.stream().limit(5).collect(Collectors.toList()));
        assertTrue(castsOutOfOrder.isEmpty(), castsOutOfOrder.size() + " casts out of their sender's order or handled twice, e.g. "
            + castsOutOfOrder.stream().limit(5).collect(Collectors.toList()));
    }

    /**
     * The children whose count of a load's casts differs from the casts sent to them, with both counts, once every
     * child has the casts sent to it or 30 s passed.
     */
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

    /** Lets the load go on until every child got a few more calls. */
    private static void moreCalls(SequencedLoad load) {
        long mark = load.calls.get();
        TestCluster.await().until(() -> load.calls.get() > mark + 2 * N);
    }
}
