package io.processhub.tests;

import io.processhub.ChildCallException;
import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import io.processhub.HubConfiguration;
import io.processhub.NoSuchChildException;
import io.processhub.ProcessHub;
import io.processhub.RestartPolicy;
import io.processhub.StartOptions;
import io.processhub.StartResult;
import io.processhub.StopReason;
import io.processhub.examples.CounterChild;
import io.processhub.strategy.PubSub;
import io.processhub.tests.children.ProbeChild;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.processhub.tests.HubChecks.failureOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The supervisor as a user sees it on a three-node cluster: crashed children come back in place with a fresh
 * state and a new incarnation that every node's registry shows; restart policies and the restart intensity
 * decide when a child is given up, and a given-up child is gone cluster-wide for good; static children of a
 * hub configuration run exactly once even though every node configures them.
 */
class SupervisionTest {
    private static final String HUB = "sup";
    private static final String STATIC_HUB = "sup-static";
    private static final int MAX_RESTARTS = 5;
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** Longer than the hubs' sync interval: a full reconciliation pass runs within it. */
    private static final Duration STAY = Duration.ofMillis(1_500);
    private static final List<String> STATIC_IDS = List.of("static-0", "static-1", "static-2", "static-3", "static-4", "static-5");

    private static TestCluster cluster;
    private static HubChecks checks;

    @BeforeAll
    static void startCluster() {
        cluster = new TestCluster(() -> {
            List<ChildSpec> statics = new ArrayList<>();
            for (String id : STATIC_IDS)
                statics.add(ChildSpec.of(id, ProbeChild.class));
            // Five restarts per child, in a window far longer than the test, so a slow machine cannot let early
            // restarts age out of it; the limit test crashes a child six times and waits for nothing else.
            return new HubConfiguration[] {
                new HubConfiguration(HUB).setMaxRestarts(MAX_RESTARTS).setMaxRestartsWindow(60_000).setSynchronizationStrategy(fastSync()),
                new HubConfiguration(STATIC_HUB).setStaticChildren(statics).setSynchronizationStrategy(fastSync())};
        });
        cluster.startAll("a", "b", "c");
        checks = new HubChecks(cluster, HUB);
        for (ProcessHub h : cluster.hubOnAll(HUB))
            TestCluster.await().until(() -> h.nodes().equals(List.of("a", "b", "c")));
    }

    private static PubSub fastSync() {
        PubSub sync = new PubSub();
        sync.setSyncInterval(500);
        return sync;
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    private static ProcessHub hub(String node) {
        return cluster.hub(node, HUB);
    }

    /** Starts one child from node a and waits until every node sees it running once. */
    private static ChildRef startOne(ChildSpec spec) throws Exception {
        StartResult res = hub("a").startChild(spec).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertTrue(res.isOk(), res.toString());
        checks.awaitExactly(spec.id(), Set.of(spec.id()));
        return res.ref(spec.id()).orElseThrow();
    }

    /** Sends "crash" and checks the caller is told the handler threw. */
    private static void crash(String id) {
        Throwable t = failureOf(hub("a").call(id, "crash", WAIT));
        assertInstanceOf(ChildCallException.class, t);
    }

    @Test
    void aCrashedChildIsRestartedInPlaceWithAFreshStateAndANewIncarnationEverywhere() throws Exception {
        String id = checks.idOwnedBy("crash-", "b");
        ChildRef first = startOne(ChildSpec.of(id, CounterChild.class));
        for (int i = 1; i <= 3; i++)
            assertEquals((long)i, hub("c").call(id, "inc", WAIT).get());

        crash(id);

        ChildRef second = checks.awaitIncarnationEverywhere(id, first.incarnation() + 1);
        assertEquals(first.node(), second.node(), "same node");
        assertEquals(first.nodeId(), second.nodeId(), "same node");
        for (ProcessHub h : cluster.hubOnAll(HUB)) {
            assertEquals(List.of(second), h.refs(id), "the new ref replaced the old one");
            assertEquals(List.of(second), h.lookup(id).orElseThrow().refs());
        }
        assertTrue(hub("b").localChildren().contains(second), "b runs the new incarnation");
        assertEquals(0L, hub("c").call(id, "get", WAIT).get(), "a fresh instance: the count starts over");
        assertEquals(1, checks.runningCount(id));
    }

    @Test
    void failFromTheChildsOwnThreadRestartsIt() throws Exception {
        String id = checks.idOwnedBy("fail-", "c");
        ChildRef first = startOne(ChildSpec.of(id, ProbeChild.class));
        assertEquals(1L, hub("a").call(id, "inc", WAIT).get());

        // The child's background thread reports ChildContext.fail(cause); the call itself answers normally.
        assertEquals("failing", hub("a").call(id, "fail-async", WAIT).get());

        ChildRef second = checks.awaitIncarnationEverywhere(id, first.incarnation() + 1);
        assertEquals(first.nodeId(), second.nodeId(), "restarted in place");
        assertEquals(0L, hub("a").call(id, "get", WAIT).get(), "a fresh instance");
        assertEquals(second.incarnation(), hub("b").call(id, "incarnation", WAIT).get(), "the child sees its new incarnation");
        checks.awaitExactly(id, Set.of(id));
    }

    @Test
    void pastTheRestartIntensityTheChildIsGivenUpAndUnregisteredEverywhere() throws Exception {
        String id = checks.idOwnedBy("limit-", "b");
        ChildRef first = startOne(ChildSpec.of(id, CounterChild.class));

        // MAX_RESTARTS crashes within the window are restarted...
        for (int i = 1; i <= MAX_RESTARTS; i++) {
            crash(id);
            checks.awaitIncarnationEverywhere(id, first.incarnation() + i);
        }
        assertEquals(1, checks.runningCount(id), "still running after " + MAX_RESTARTS + " restarts");

        // ...one more is past the intensity: the child is stopped and unregistered on every node, for good.
        crash(id);
        checks.awaitGone(id);
        checks.assertStaysGone(id, STAY);
        assertInstanceOf(NoSuchChildException.class, failureOf(hub("c").call(id, "get", WAIT)));
    }

    @Test
    void aTransientChildThatExitsIsUnregisteredEverywhere() throws Exception {
        String id = checks.idOwnedBy("transient-exit-", "c");
        startOne(ChildSpec.of(id, ProbeChild.class).withRestart(RestartPolicy.TRANSIENT));

        assertEquals("bye", hub("a").call(id, "exit", WAIT).get());

        checks.awaitGone(id);
        checks.assertStaysGone(id, STAY);
        assertEquals(StopReason.EXIT, ProbeChild.lastStop(id), "the child was told why it stopped");
        assertEquals(0, ProbeChild.live(id));
        assertInstanceOf(NoSuchChildException.class, failureOf(hub("b").call(id, "get", WAIT)));
    }

    @Test
    void aTransientChildThatCrashesIsRestarted() throws Exception {
        String id = checks.idOwnedBy("transient-crash-", "a");
        ChildRef first = startOne(ChildSpec.of(id, CounterChild.class).withRestart(RestartPolicy.TRANSIENT));
        assertEquals(1L, hub("b").call(id, "inc", WAIT).get());

        crash(id);

        ChildRef second = checks.awaitIncarnationEverywhere(id, first.incarnation() + 1);
        assertEquals(first.nodeId(), second.nodeId());
        assertEquals(0L, hub("b").call(id, "get", WAIT).get());
        assertEquals(RestartPolicy.TRANSIENT, hub("c").lookup(id).orElseThrow().spec().restart());
    }

    @Test
    void aTemporaryChildIsNeverRestarted() throws Exception {
        String crashing = checks.idOwnedBy("temporary-crash-", "b");
        String exiting = checks.idOwnedBy("temporary-exit-", "a");
        startOne(ChildSpec.of(crashing, CounterChild.class).withRestart(RestartPolicy.TEMPORARY));
        startOne(ChildSpec.of(exiting, ProbeChild.class).withRestart(RestartPolicy.TEMPORARY));

        crash(crashing);
        assertEquals("bye", hub("c").call(exiting, "exit", WAIT).get());

        checks.awaitGone(crashing);
        checks.awaitGone(exiting);
        checks.assertStaysGone(crashing, STAY);
        assertTrue(checks.isGone(exiting));
        assertEquals(0, ProbeChild.live(exiting));
    }

    @Test
    void aPermanentChildThatExitsIsRestarted() throws Exception {
        String id = checks.idOwnedBy("permanent-exit-", "c");
        ChildRef first = startOne(ChildSpec.of(id, ProbeChild.class));
        assertEquals(1L, hub("a").call(id, "inc", WAIT).get());

        assertEquals("bye", hub("a").call(id, "exit", WAIT).get());

        ChildRef second = checks.awaitIncarnationEverywhere(id, first.incarnation() + 1);
        assertEquals(first.nodeId(), second.nodeId(), "restarted in place");
        assertEquals(StopReason.EXIT, ProbeChild.lastStop(id), "the old instance was stopped with EXIT");
        assertEquals(0L, hub("b").call(id, "get", WAIT).get(), "a fresh instance");
        assertEquals(1, ProbeChild.live(id), "exactly one instance is alive");
        checks.awaitExactly(id, Set.of(id));
    }

    @Test
    void staticChildrenStartWithTheHubExactlyOnceAcrossTheCluster() {
        // Every node's configuration lists the same static children; each node tries to start them as its hub
        // starts, while the others join and the children move to their owners.
        HubChecks statics = new HubChecks(cluster, STATIC_HUB);
        statics.awaitExactly("static-", Set.copyOf(STATIC_IDS));
        for (String id : STATIC_IDS) {
            String owner = statics.ownerOf(id);
            for (ProcessHub h : cluster.hubOnAll(STATIC_HUB))
                assertEquals(owner, h.activeRef(id).orElseThrow().node(), id + " runs on its owner");
            assertEquals(1, ProbeChild.live(id), id + ": exactly one instance started and not stopped");
        }
        assertTrue(STATIC_IDS.stream().map(statics::ownerOf).distinct().count() > 1, "the children are spread");
        // And it stays that way: no late static start or sync pass adds a second copy.
        TestCluster.await().during(STAY).atMost(STAY.plusSeconds(5)).until(() -> STATIC_IDS.stream()
            .allMatch(id -> ProbeChild.live(id) == 1 && statics.runningCount(id) == 1));
    }
}
