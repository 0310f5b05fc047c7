package io.processhub.ignite.transport;

import io.processhub.ChildContext;
import io.processhub.ChildProcess;
import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import io.processhub.HubConfiguration;
import io.processhub.ProcessHub;
import io.processhub.ProcessHubs;
import io.processhub.StopResult;
import io.processhub.ignite.supervision.StartItem;
import io.processhub.strategy.Placement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.ignite.Ignite;
import org.apache.ignite.Ignition;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Requests that reach a node which is not the child's owner (the sender's view of the membership differs
 * from the receiver's, which the public API cannot produce on demand) are forwarded, and the sender's request
 * still completes, answered by the real owner. The sender here is a plain node {@code x} without the plugin
 * that speaks the hub's wire protocol through its own {@link Transport}, as a stale caller would.
 */
class ForwardingTest {
    private static final String HUB = "fwd";
    private static final List<String> MEMBERS = List.of("a", "b", "c");

    private static final Map<String, Ignite> NODES = new TreeMap<>();
    private static Ignite x;
    private static Placement placement;
    private static ScheduledExecutorService timer;

    private Transport transport;
    private PendingRequests pending;

    /** A child that answers where it runs. */
    public static final class Probe implements ChildProcess {
        private ChildContext ctx;

        public Probe() {
        }

        @Override
        public void start(ChildContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Object handle(Object message) {
            return ctx.self().node();
        }
    }

    @BeforeAll
    static void startNodes() {
        for (String n : MEMBERS)
            NODES.put(n, Ignition.start(TestNodes.config(n, new HubConfiguration(HUB))));
        x = Ignition.start(TestNodes.config("x"));
        placement = new HubConfiguration(HUB).getDistributionStrategy().placement(MEMBERS);
        timer = Executors.newSingleThreadScheduledExecutor();
        for (String n : MEMBERS)
            await().until(() -> hub(n).nodes().equals(MEMBERS));
    }

    @AfterAll
    static void stopNodes() {
        if (timer != null)
            timer.shutdownNow();
        if (x != null)
            x.close();
        List<String> names = new ArrayList<>(NODES.keySet());
        for (int i = names.size() - 1; i >= 0; i--)
            NODES.get(names.get(i)).close();
    }

    @BeforeEach
    void openTransport() {
        pending = new PendingRequests(timer);
        transport = new Transport(x, HUB);
        transport.open(null, pending::onReply);
    }

    @AfterEach
    void closeTransport() {
        transport.close();
    }

    private static ProcessHub hub(String node) {
        return ProcessHubs.hub(NODES.get(node), HUB);
    }

    private static ConditionFactory await() {
        return Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20));
    }

    private static List<ChildSpec> specsOwnedBy(String prefix, String owner, int n) {
        List<ChildSpec> res = new ArrayList<>();
        for (int i = 0; res.size() < n; i++) {
            String id = prefix + "-" + i;
            if (placement.owner(id).equals(owner))
                res.add(ChildSpec.of(id, Probe.class));
        }
        return res;
    }

    /** Each spec as the request item for its first owner. */
    private static List<StartItem> firstReplicas(List<ChildSpec> specs) {
        return specs.stream().map(s -> new StartItem(s, 0)).collect(Collectors.toList());
    }

    private static Set<String> localIds(String node) {
        return hub(node).localChildren().stream().map(ChildRef::childId).collect(Collectors.toSet());
    }

    @Test
    void startSentToANonOwnerIsForwardedAndAnsweredByTheOwner() throws Exception {
        List<ChildSpec> ofB = specsOwnedBy("fwd-b", "b", 20);
        List<ChildSpec> ofC = specsOwnedBy("fwd-c", "c", 30);
        List<ChildSpec> all = new ArrayList<>(ofB);
        all.addAll(ofC);

        List<io.processhub.hook.ChildrenEvent> forwarded = new java.util.concurrent.CopyOnWriteArrayList<>();
        hub("b").hooks().register(io.processhub.hook.Hook.FORWARDED_MIGRATION, "fwd-watch", 0,
            (io.processhub.hook.ChildrenEvent e) -> forwarded.add(e));

        // The caller believes b owns all of them: one request to b, like a caller with a stale view.
        StartCollector collector = new StartCollector(List.of());
        all.forEach(s -> collector.expect(StartCollector.key(s.id(), 0), "b"));
        long id = pending.register(collector, Duration.ofSeconds(20));
        assertTrue(transport.request(NODES.get("b").cluster().localNode().id(),
            new Messages.StartRequest(id, x.cluster().localNode().id(), firstReplicas(all), true, 0, 0)));
        collector.sent();
        io.processhub.StartResult res = collector.done.get(30, TimeUnit.SECONDS);

        assertTrue(res.errors().isEmpty(), res.errors().toString());
        Map<String, String> startedOn = res.started().stream().collect(Collectors.toMap(ChildRef::childId, ChildRef::node));
        assertEquals(all.size(), startedOn.size());
        for (ChildSpec s : ofB)
            assertEquals("b", startedOn.get(s.id()), s.id() + " started by b itself");
        for (ChildSpec s : ofC)
            assertEquals("c", startedOn.get(s.id()), s.id() + " forwarded by b and started (and answered) by its owner c");
        // b reported the forwarding once, naming c and exactly c's children.
        await().until(() -> !forwarded.isEmpty());
        hub("b").hooks().cancel(io.processhub.hook.Hook.FORWARDED_MIGRATION, "fwd-watch");
        assertEquals(1, forwarded.size(), forwarded.toString());
        assertEquals("c", forwarded.get(0).target());
        assertEquals(ofC.stream().map(ChildSpec::id).collect(Collectors.toSet()),
            forwarded.get(0).children().stream().map(ChildSpec::id).collect(Collectors.toSet()));
        UUID cId = NODES.get("c").cluster().localNode().id();
        assertTrue(res.started().stream().filter(r -> r.node().equals("c")).allMatch(r -> r.nodeId().equals(cId)));

        // The replies came after the children started and registered: they run on their owners only.
        Set<String> onB = localIds("b");
        Set<String> onC = localIds("c");
        for (ChildSpec s : ofB)
            assertTrue(onB.contains(s.id()) && !onC.contains(s.id()), s.id());
        for (ChildSpec s : ofC)
            assertTrue(onC.contains(s.id()) && !onB.contains(s.id()), s.id());
        assertTrue(localIds("a").stream().noneMatch(i -> i.startsWith("fwd-")));
        for (String n : MEMBERS)
            await().until(() -> all.stream().allMatch(s -> hub(n).activeRef(s.id()).isPresent()));
        assertEquals("c", hub("a").call(ofC.get(0).id(), "where", Duration.ofSeconds(5)).get());

        // A second start of the same children through the wrong node is refused as ALREADY_STARTED by the owner.
        StartCollector again = new StartCollector(List.of());
        ofC.forEach(s -> again.expect(StartCollector.key(s.id(), 0), "a"));
        long id2 = pending.register(again, Duration.ofSeconds(20));
        assertTrue(transport.request(NODES.get("a").cluster().localNode().id(),
            new Messages.StartRequest(id2, x.cluster().localNode().id(), firstReplicas(ofC), true, 0, 0)));
        again.sent();
        io.processhub.StartResult second = again.done.get(30, TimeUnit.SECONDS);
        assertTrue(second.started().isEmpty(), second.started().toString());
        assertEquals(ofC.size(), second.errors().size());
        assertTrue(second.errors().stream().allMatch(e -> e.reason() == io.processhub.ChildError.Reason.ALREADY_STARTED), second.errors().toString());
        assertEquals(onC, localIds("c"), "nothing started twice");

        stopAll(all);
    }

    @Test
    void stopSentToANodeThatDoesNotRunTheChildIsForwardedToTheOneThatDoes() throws Exception {
        List<ChildSpec> ofC = specsOwnedBy("stopfwd", "c", 25);
        assertTrue(hub("a").startChildren(ofC, io.processhub.StartOptions.defaults()).get().isOk());
        for (String n : MEMBERS)
            await().until(() -> ofC.stream().allMatch(s -> hub(n).activeRef(s.id()).isPresent()));

        List<String> ids = ofC.stream().map(ChildSpec::id).collect(Collectors.toList());
        StopCollector collector = new StopCollector(List.of());
        ids.forEach(i -> collector.expect(i, "a"));
        long id = pending.register(collector, Duration.ofSeconds(20));
        assertTrue(transport.request(NODES.get("a").cluster().localNode().id(),
            new Messages.StopRequest(id, x.cluster().localNode().id(), ids, 0)));
        collector.sent();
        StopResult res = collector.done.get(30, TimeUnit.SECONDS);

        assertTrue(res.isOk(), res.toString());
        assertEquals(Set.copyOf(ids), res.stopped().keySet());
        assertTrue(res.stopped().values().stream().allMatch(List.of("c")::equals), "stopped by c, where they ran: " + res.stopped());
        assertTrue(localIds("c").stream().noneMatch(i -> i.startsWith("stopfwd")));
        for (String n : MEMBERS)
            await().until(() -> ids.stream().noneMatch(i -> hub(n).lookup(i).isPresent() || !hub(n).refs(i).isEmpty()));
    }

    @Test
    void childStartedOffItsOwnerAfterTooManyHopsMovesToItsOwner() throws Exception {
        // A request that already made the maximum number of hops is served where it lands, even by a
        // non-owner (no forwarding loops while views disagree); the reconciler then moves the child home.
        List<ChildSpec> ofC = specsOwnedBy("hops", "c", 10);
        StartCollector collector = new StartCollector(List.of());
        ofC.forEach(s -> collector.expect(StartCollector.key(s.id(), 0), "b"));
        long id = pending.register(collector, Duration.ofSeconds(20));
        assertTrue(transport.request(NODES.get("b").cluster().localNode().id(),
            new Messages.StartRequest(id, x.cluster().localNode().id(), firstReplicas(ofC), true, 3, 0)));
        collector.sent();
        io.processhub.StartResult res = collector.done.get(30, TimeUnit.SECONDS);
        assertTrue(res.errors().isEmpty(), res.errors().toString());
        assertTrue(res.started().stream().allMatch(r -> r.node().equals("b")), res.started().toString());

        for (String n : MEMBERS)
            await().untilAsserted(() -> {
                for (ChildSpec s : ofC) {
                    List<ChildRef> refs = hub(n).refs(s.id());
                    assertEquals(1, refs.size(), n + ": " + s.id() + " " + refs);
                    assertEquals("c", refs.get(0).node(), n + ": " + s.id());
                }
            });
        Set<String> onC = localIds("c");
        assertTrue(ofC.stream().allMatch(s -> onC.contains(s.id())));
        assertFalse(localIds("b").stream().anyMatch(i -> i.startsWith("hops")));
        stopAll(ofC);
    }

    private static void stopAll(List<ChildSpec> specs) throws Exception {
        List<String> ids = specs.stream().map(ChildSpec::id).collect(Collectors.toList());
        assertTrue(hub("a").stopChildren(ids, io.processhub.StopOptions.defaults()).get().isOk());
        for (String n : MEMBERS)
            await().until(() -> ids.stream().noneMatch(i -> hub(n).lookup(i).isPresent()));
    }
}
