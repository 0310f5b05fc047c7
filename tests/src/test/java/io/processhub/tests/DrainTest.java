package io.processhub.tests;

import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import io.processhub.HubConfiguration;
import io.processhub.ProcessHub;
import io.processhub.ReplicaRole;
import io.processhub.Scope;
import io.processhub.StartOptions;
import io.processhub.StartResult;
import io.processhub.examples.StatefulCounterChild;
import io.processhub.hook.DrainEvent;
import io.processhub.hook.Hook;
import io.processhub.strategy.ConsistentHashing;
import io.processhub.strategy.HotSwap;
import io.processhub.strategy.Placement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Draining a node of a HotSwap hub with 3,000 stateful children: the drain completes once the node runs none of
 * them, each child's state arrives at its new owner, no child of another node moves, new starts avoid the draining
 * node, every node reports the drain (hook, metric, system view); undrained, the node gets its children back by the
 * ring. A caller keeps calling children all along: none of its calls fails.
 */
class DrainTest {
    private static final Logger LOG = LogManager.getLogger(DrainTest.class);
    private static final String HUB = "drain";
    private static final int N = 3_000;
    private static final List<String> ALL = List.of("a", "b", "c");
    private static final Duration SETTLE = Duration.ofSeconds(90);
    private static TestCluster cluster;
    /** "hook@node:member" for every drain hook event. */
    private static final List<String> drainEvents = new ArrayList<>();

    @BeforeAll
    static void start() {
        cluster = new TestCluster(() -> new HubConfiguration[] {new HubConfiguration(HUB).setMigrationStrategy(new HotSwap())});
        cluster.startAll("a", "b", "c");
        for (String n : ALL) {
            cluster.hub(n, HUB).hooks().register(Hook.NODE_DRAINING, "drain-log", 0, (DrainEvent e) -> record(e));
            cluster.hub(n, HUB).hooks().register(Hook.NODE_UNDRAINED, "drain-log", 0, (DrainEvent e) -> record(e));
        }
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static void record(DrainEvent e) {
        synchronized (drainEvents) {
            drainEvents.add(e.hook() + "@" + e.node() + ":" + e.member());
        }
    }

    private static List<String> drainEvents() {
        synchronized (drainEvents) {
            return drainEvents.stream().sorted().collect(Collectors.toList());
        }
    }

    private static String id(int i) {
        return "dr-" + i;
    }

    /** Child id → the node running it; fails if a child runs twice. */
    private static Map<String, String> placement() {
        Map<String, String> res = new HashMap<>();
        for (String node : ALL)
            for (ChildRef r : cluster.hub(node, HUB).whichChildren(Scope.LOCAL))
                if (res.put(r.childId(), node) != null)
                    throw new AssertionError(r.childId() + " runs twice");
        return res;
    }

    /** The {@code count} children run once each, on their owner on a ring over {@code hosts}, registered so everywhere. */
    private static boolean settled(int count, List<String> hosts) {
        Map<String, String> running;
        try {
            running = placement();
        }
        catch (AssertionError twice) {
            return false;
        }
        if (running.size() != count)
            return false;
        Placement ring = new ConsistentHashing().placement(hosts);
        for (var e : running.entrySet())
            if (!ring.owner(e.getKey()).equals(e.getValue()))
                return false;
        for (String node : ALL) {
            ProcessHub h = cluster.hub(node, HUB);
            for (String id : running.keySet()) {
                List<ChildRef> refs = h.refs(id);
                if (refs.size() != 1 || refs.get(0).role() != ReplicaRole.ACTIVE || !refs.get(0).node().equals(running.get(id)))
                    return false;
            }
        }
        return true;
    }

    private static long expectedCount(int i) {
        return i % 3 + 1;
    }

    /** Each child's count is its expected one (asked through node a). */
    private static void assertStates(String when) throws Exception {
        ProcessHub hub = cluster.hub("a", HUB);
        List<CompletableFuture<Object>> gets = new ArrayList<>(N);
        for (int i = 0; i < N; i++)
            gets.add(hub.call(id(i), "get", Duration.ofSeconds(10)));
        for (int i = 0; i < N; i++)
            assertEquals(expectedCount(i), gets.get(i).get(), "state of " + id(i) + " " + when);
    }

    /** Calls children one after the other through node a until stopped; counts what failed or answered wrong. */
    private static final class Caller extends Thread {
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicLong calls = new AtomicLong();
        final AtomicLong wrong = new AtomicLong();
        final Map<String, Integer> failures = new ConcurrentHashMap<>();

        Caller() {
            super("drain-test-caller");
        }

        @Override
        public void run() {
            ProcessHub hub = cluster.hub("a", HUB);
            for (int i = 0; !stop.get(); i = (i + 7) % N) {
                try {
                    Object count = hub.call(id(i), "get", Duration.ofSeconds(10)).get();
                    if (!Long.valueOf(expectedCount(i)).equals(count))
                        wrong.incrementAndGet();
                }
                catch (Exception e) {
                    Throwable cause = e.getCause() == null ? e : e.getCause();
                    failures.merge(cause.getClass().getSimpleName(), 1, Integer::sum);
                }
                calls.incrementAndGet();
            }
        }

        int failed() {
            return failures.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    @Test
    void drainedNodeHandsItsChildrenOverWithTheirStateAndGetsThemBackWhenUndrained() throws Exception {
        ProcessHub hub = cluster.hub("a", HUB);
        List<ChildSpec> specs = IntStream.range(0, N).mapToObj(i -> ChildSpec.of(id(i), StatefulCounterChild.class))
            .collect(Collectors.toList());
        assertTrue(hub.startChildren(specs, StartOptions.defaults().timeout(Duration.ofSeconds(60))).get().isOk());
        TestCluster.await().atMost(SETTLE).until(() -> settled(N, ALL));
        List<CompletableFuture<Object>> incs = new ArrayList<>();
        for (int i = 0; i < N; i++)
            for (int k = 0; k < expectedCount(i); k++)
                incs.add(hub.call(id(i), "inc", Duration.ofSeconds(30)));
        CompletableFuture.allOf(incs.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
        Map<String, String> before = placement();
        long onC = before.values().stream().filter("c"::equals).count();
        assertTrue(onC > 0, "c runs some children");

        Caller caller = new Caller();
        caller.start();
        try {
            hub.drain("c").get(SETTLE.toSeconds(), TimeUnit.SECONDS);

            assertEquals(List.of(), cluster.hub("c", HUB).whichChildren(Scope.LOCAL), "c runs nothing once drained");
            assertEquals(List.of("a", "b", "c"), hub.nodes(), "a draining node stays a member");
            for (String n : ALL)
                assertEquals(List.of("c"), cluster.hub(n, HUB).drainingNodes(), "the drain as " + n + " sees it");
            Map<String, String> drained = placement();
            assertEquals(N, drained.size(), "every child runs once");
            Placement ringWithoutC = new ConsistentHashing().placement(List.of("a", "b"));
            for (var e : before.entrySet()) {
                if (e.getValue().equals("c"))
                    assertEquals(ringWithoutC.owner(e.getKey()), drained.get(e.getKey()), e.getKey() + " went to its next owner");
                else
                    assertEquals(e.getValue(), drained.get(e.getKey()), e.getKey() + " was not on c and did not move");
            }
            TestCluster.await().atMost(SETTLE).until(() -> settled(N, List.of("a", "b")));
            assertStates("after the drain");

            TestCluster.await().until(() -> drainEvents().size() == 3);
            assertEquals(List.of("NODE_DRAINING@a:c", "NODE_DRAINING@b:c", "NODE_DRAINING@c:c"), drainEvents());
            assertEquals(Boolean.TRUE, ThinSql.query(cluster.node("c"),
                "SELECT DRAINING FROM SYS.PROCESSHUB_HUBS WHERE HUB_ID = ?", HUB).get(0).get("DRAINING"));
            Map<String, Object> rowA = ThinSql.query(cluster.node("a"),
                "SELECT DRAINING, DRAINING_NODES FROM SYS.PROCESSHUB_HUBS WHERE HUB_ID = ?", HUB).get(0);
            assertEquals(Boolean.FALSE, rowA.get("DRAINING"));
            assertEquals("c", rowA.get("DRAINING_NODES"));
            assertEquals("true", ThinSql.query(cluster.node("c"), "SELECT VALUE FROM SYS.METRICS WHERE NAME = ?",
                "custom.processhub." + HUB + ".draining").get(0).get("VALUE"));

            List<ChildSpec> more = IntStream.range(N, N + 300).mapToObj(i -> ChildSpec.of(id(i), StatefulCounterChild.class))
                .collect(Collectors.toList());
            StartResult started = cluster.hub("b", HUB).startChildren(more, StartOptions.defaults()).get();
            assertTrue(started.isOk(), started.toString());
            for (ChildRef r : started.started())
                assertTrue(!r.node().equals("c"), r + " started on the draining node");
            assertEquals(List.of(), cluster.hub("c", HUB).whichChildren(Scope.LOCAL), "c takes no new child");

            hub.undrain("c").get(30, TimeUnit.SECONDS);
            TestCluster.await().atMost(SETTLE).until(() -> settled(N + 300, ALL));
            assertStates("after the undrain");
            for (String n : ALL)
                assertEquals(List.of(), cluster.hub(n, HUB).drainingNodes(), "no drain left as " + n + " sees it");
            Map<String, String> undrained = placement();
            for (var e : before.entrySet())
                assertEquals(e.getValue(), undrained.get(e.getKey()), e.getKey() + " is back where the ring puts it");
            TestCluster.await().until(() -> drainEvents().size() == 6);
            assertEquals(List.of("NODE_DRAINING@a:c", "NODE_DRAINING@b:c", "NODE_DRAINING@c:c",
                "NODE_UNDRAINED@a:c", "NODE_UNDRAINED@b:c", "NODE_UNDRAINED@c:c"), drainEvents());
        }
        finally {
            caller.stop.set(true);
            caller.join();
        }
        LOG.info("Caller during the drain and the undrain: {} calls, {} failed {}, {} answered a wrong count",
            caller.calls.get(), caller.failed(), caller.failures, caller.wrong.get());
        assertEquals(0, caller.wrong.get(), "calls that answered a wrong count (a state lost)");
        assertTrue(caller.calls.get() > 0, "the caller called");
        assertEquals(0, caller.failed(), "calls that failed while children moved: " + caller.failures);
    }
}
