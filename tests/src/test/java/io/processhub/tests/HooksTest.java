package io.processhub.tests;

import io.processhub.ChildCallException;
import io.processhub.ChildContext;
import io.processhub.ChildError;
import io.processhub.ChildInfo;
import io.processhub.ChildProcess;
import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import io.processhub.HubConfiguration;
import io.processhub.ProcessHub;
import io.processhub.StartOptions;
import io.processhub.StartResult;
import io.processhub.StopOptions;
import io.processhub.StopResult;
import io.processhub.examples.CounterChild;
import io.processhub.hook.ChildDataAlterEvent;
import io.processhub.hook.ChildrenEvent;
import io.processhub.hook.DuplicateHookIdException;
import io.processhub.hook.Hook;
import io.processhub.hook.HookHandler;
import io.processhub.hook.Hooks;
import io.processhub.hook.HubEvent;
import io.processhub.hook.PidUpdatedEvent;
import io.processhub.hook.RegistryEvent;
import io.processhub.hook.StartEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hooks on a stable three-node hub, registered at run time: exact registry event counts, priority order and
 * cancellation, the alter chain, start and restart events, and handlers that throw or block. Membership,
 * crash and quorum hooks are in {@link HookMembershipTest} and {@link HookQuorumTest}.
 *
 * <p>Every test uses children with its own id prefix and filters its handlers by it, and cancels its handlers
 * at the end, so the tests of the class do not see each other's events.
 */
class HooksTest {
    private static final String HUB = "hooks";
    private static final List<String> NODES = List.of("a", "b", "c");
    private static final Duration CALL = Duration.ofSeconds(10);
    private static TestCluster cluster;

    /** Handlers registered by the running test, cancelled after it: (node, hook, id). */
    private final List<Object[]> registered = new ArrayList<>();

    @BeforeAll
    static void startCluster() {
        cluster = new TestCluster(() -> new HubConfiguration[] {new HubConfiguration(HUB)});
        cluster.startAll(NODES.toArray(new String[0]));
        for (ProcessHub h : cluster.hubOnAll(HUB))
            TestCluster.await().until(() -> h.nodes().equals(NODES));
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @AfterEach
    void cancelHandlers() {
        for (Object[] r : registered)
            cluster.hub((String)r[0], HUB).hooks().cancel((Hook)r[1], (String)r[2]);
        registered.clear();
    }

    /** Registers a handler on every node of the hub (cancelled after the test). */
    private <E extends HubEvent> void onEveryNode(Hook hook, String id, int priority, HookHandler<E> handler) {
        for (String node : NODES)
            onNode(node, hook, id, priority, handler);
    }

    private <E extends HubEvent> void onNode(String node, Hook hook, String id, int priority, HookHandler<E> handler) {
        cluster.hub(node, HUB).hooks().register(hook, id, priority, handler);
        registered.add(new Object[] {node, hook, id});
    }

    private static ProcessHub hub(String node) {
        return cluster.hub(node, HUB);
    }

    /**
     * Waits until every node's registry copy shows the child. A start completes once the owner's registry
     * write is acknowledged; the other nodes' copies follow a few milliseconds later.
     */
    private static void awaitEverywhere(String childId) {
        for (String node : NODES)
            TestCluster.await().until(() -> hub(node).activeRef(childId).isPresent());
    }

    private static List<ChildSpec> counters(String prefix, int n) {
        return IntStream.range(0, n).mapToObj(i -> ChildSpec.of(prefix + i, CounterChild.class)).collect(Collectors.toList());
    }

    private static StartResult start(List<ChildSpec> specs) throws Exception {
        return hub("a").startChildren(specs, StartOptions.defaults()).get(30, TimeUnit.SECONDS);
    }

    /** Counts events per (node, child id) and remembers the ref each one carried. */
    private static final class PairCounter implements HookHandler<RegistryEvent> {
        final String prefix;
        final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
        final Map<String, ChildRef> refs = new ConcurrentHashMap<>();
        final AtomicInteger total = new AtomicInteger();

        PairCounter(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public void handle(RegistryEvent e) {
            if (!e.childId().startsWith(prefix))
                return;
            String pair = e.node() + '/' + e.childId();
            counts.computeIfAbsent(pair, k -> new AtomicInteger()).incrementAndGet();
            refs.put(pair, e.ref());
            total.incrementAndGet();
        }

        boolean has(String childId) {
            return NODES.stream().allMatch(n -> counts.containsKey(n + '/' + childId));
        }

        long onNode(String node) {
            return counts.entrySet().stream().filter(en -> en.getKey().startsWith(node + '/'))
                .mapToInt(en -> en.getValue().get()).sum();
        }

        void assertEachPairOnce(int expectedPairs) {
            assertEquals(expectedPairs, total.get(), "events in total");
            assertEquals(expectedPairs, counts.size(), "distinct (node, child) pairs");
            List<String> twice = counts.entrySet().stream().filter(en -> en.getValue().get() != 1)
                .map(Map.Entry::getKey).collect(Collectors.toList());
            assertEquals(List.of(), twice, "pairs counted more than once");
        }
    }

    // ------------------------------------------------------------------------------------------ registry

    @Test
    void everyNodeSeesEachInsertAndRemoveExactlyOnce() throws Exception {
        PairCounter inserted = new PairCounter("reg-");
        PairCounter removed = new PairCounter("reg-");
        onEveryNode(Hook.REGISTRY_PID_INSERTED, "count-inserts", 0, inserted);
        onEveryNode(Hook.REGISTRY_PID_REMOVED, "count-removals", 0, removed);

        List<ChildSpec> specs = counters("reg-", 1000);
        StartResult res = start(specs);
        assertTrue(res.isOk(), res.toString());
        assertEquals(1000, res.started().size());

        TestCluster.await().until(() -> inserted.total.get() >= 3000);
        // Barrier: events of one node arrive in order, so once a later child's events are in, any duplicate of
        // an earlier one would be too.
        assertTrue(start(List.of(ChildSpec.of("reg-barrier-1", CounterChild.class))).isOk());
        TestCluster.await().until(() -> inserted.has("reg-barrier-1"));

        inserted.assertEachPairOnce(3003);
        for (String node : NODES)
            assertEquals(1001, inserted.onNode(node), "inserts seen on " + node);
        // Each event carries the ref the registry holds for that child.
        for (int i = 0; i < 1000; i += 37)
            for (String node : NODES)
                assertEquals(hub(node).activeRef("reg-" + i).orElseThrow(), inserted.refs.get(node + "/reg-" + i));
        assertEquals(0, removed.total.get(), "nothing was removed yet");

        List<String> ids = new ArrayList<>();
        specs.forEach(s -> ids.add(s.id()));
        ids.add("reg-barrier-1");
        StopResult stop = hub("b").stopChildren(ids, StopOptions.defaults()).get(30, TimeUnit.SECONDS);
        assertTrue(stop.isOk(), stop.toString());
        assertEquals(1001, stop.stopped().size());

        TestCluster.await().until(() -> removed.total.get() >= 3003);
        assertTrue(start(List.of(ChildSpec.of("reg-barrier-2", CounterChild.class))).isOk());
        TestCluster.await().until(() -> inserted.has("reg-barrier-2"));
        assertTrue(hub("c").stopChild("reg-barrier-2").get(30, TimeUnit.SECONDS).isOk());
        TestCluster.await().until(() -> removed.has("reg-barrier-2"));

        removed.assertEachPairOnce(3006);
        inserted.assertEachPairOnce(3006);
        for (String node : NODES)
            assertEquals(1002, removed.onNode(node), "removals seen on " + node);
        // A removal names the very ref that was inserted.
        assertEquals(inserted.refs, removed.refs);
        for (String node : NODES)
            assertTrue(hub(node).children().stream().noneMatch(c -> c.id().startsWith("reg-")));
    }

    /**
     * Registering and cancelling handlers while events flow never hides an event from the handlers that stay
     * registered, and {@code registered()} never shows a hook without them.
     */
    @Test
    void registeringOtherHandlersWhileEventsFlowLosesNothing() throws Exception {
        PairCounter steady = new PairCounter("churn-");
        onEveryNode(Hook.REGISTRY_PID_INSERTED, "steady", 0, steady);
        AtomicBoolean churning = new AtomicBoolean(true);
        AtomicInteger rounds = new AtomicInteger();
        List<String> missing = new CopyOnWriteArrayList<>();
        Thread churner = new Thread(() -> {
            List<Hooks> all = new ArrayList<>();
            NODES.forEach(n -> all.add(hub(n).hooks()));
            while (churning.get()) {
                for (Hooks h : all) {
                    h.register(Hook.REGISTRY_PID_INSERTED, "churn", rounds.get() % 3 - 1, e -> { });
                    h.cancel(Hook.REGISTRY_PID_INSERTED, "churn");
                }
                rounds.incrementAndGet();
            }
        }, "hook-churner");
        Thread observer = new Thread(() -> {
            Hooks h = hub("a").hooks();
            while (churning.get())
                if (!h.registered(Hook.REGISTRY_PID_INSERTED).contains("steady"))
                    missing.add(String.valueOf(h.registered(Hook.REGISTRY_PID_INSERTED)));
        }, "hook-observer");
        churner.start();
        observer.start();
        try {
            assertTrue(start(counters("churn-", 500)).isOk());
            // Every node has applied (and so fired) every insert once its registry copy shows all 500 children.
            for (String node : NODES)
                TestCluster.await().until(() -> IntStream.range(0, 500).allMatch(i -> hub(node).activeRef("churn-" + i).isPresent()));
        }
        finally {
            churning.set(false);
            churner.join();
            observer.join();
        }
        assertTrue(start(List.of(ChildSpec.of("churn-barrier", CounterChild.class))).isOk());
        TestCluster.await().until(() -> steady.has("churn-barrier"));

        assertTrue(rounds.get() > 0);
        assertEquals(List.of(), missing, "registered() lost the steady handler while another was registered");
        steady.assertEachPairOnce(1503);
        for (String node : NODES)
            assertEquals(List.of("steady"), hub(node).hooks().registered(Hook.REGISTRY_PID_INSERTED));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 500; i++)
            ids.add("churn-" + i);
        ids.add("churn-barrier");
        assertTrue(hub("a").stopChildren(ids, StopOptions.defaults()).get(30, TimeUnit.SECONDS).isOk());
    }

    // ------------------------------------------------------------------------------------------ registration

    @Test
    void handlersRunHighestPriorityFirstAndCancelledOnesNoLonger() throws Exception {
        Hooks hooks = hub("a").hooks();
        List<String> calls = new CopyOnWriteArrayList<>();
        for (Object[] h : new Object[][] {{"low", 1}, {"high", 100}, {"mid", 50}, {"mid-2", 50}, {"negative", -5}}) {
            String id = (String)h[0];
            onNode("a", Hook.REGISTRY_PID_INSERTED, id, (Integer)h[1], (RegistryEvent e) -> {
                if (e.childId().startsWith("prio-"))
                    calls.add(id + ':' + e.childId());
            });
        }
        List<String> order = List.of("high", "mid", "mid-2", "low", "negative");
        assertEquals(order, hooks.registered(Hook.REGISTRY_PID_INSERTED), "highest priority first, ties in registration order");

        DuplicateHookIdException dup = assertThrows(DuplicateHookIdException.class,
            () -> hooks.register(Hook.REGISTRY_PID_INSERTED, "mid", 7, e -> { }));
        assertTrue(dup.getMessage().contains("mid"), dup.getMessage());
        assertThrows(IllegalArgumentException.class, () -> hooks.register(Hook.REGISTRY_PID_INSERTED, " ", 0, e -> { }));
        assertThrows(NullPointerException.class, () -> hooks.register(Hook.REGISTRY_PID_INSERTED, "no-handler", 0, null));
        assertEquals(order, hooks.registered(Hook.REGISTRY_PID_INSERTED), "failed registrations change nothing");
        // Ids are unique per hook: the same id on another hook is another handler.
        onNode("a", Hook.REGISTRY_PID_REMOVED, "mid", 0, e -> { });
        assertEquals(List.of("mid"), hooks.registered(Hook.REGISTRY_PID_REMOVED));
        // The same id on another node is another handler too.
        onNode("b", Hook.REGISTRY_PID_INSERTED, "mid", 0, e -> { });

        hooks.cancel(Hook.REGISTRY_PID_INSERTED, "no-such-handler");
        hooks.cancel(Hook.PRE_CLUSTER_JOIN, "high");
        assertEquals(order, hooks.registered(Hook.REGISTRY_PID_INSERTED), "cancelling an unknown id is a no-op");
        assertEquals(List.of(), hooks.registered(Hook.PRE_CLUSTER_JOIN));

        assertTrue(start(List.of(ChildSpec.of("prio-1", CounterChild.class))).isOk());
        TestCluster.await().until(() -> calls.contains("negative:prio-1"));
        assertEquals(List.of("high:prio-1", "mid:prio-1", "mid-2:prio-1", "low:prio-1", "negative:prio-1"), calls);

        hooks.cancel(Hook.REGISTRY_PID_INSERTED, "mid");
        assertEquals(List.of("high", "mid-2", "low", "negative"), hooks.registered(Hook.REGISTRY_PID_INSERTED));
        assertEquals(List.of("mid"), hooks.registered(Hook.REGISTRY_PID_REMOVED), "cancel touches only its hook");
        assertEquals(List.of("mid"), hub("b").hooks().registered(Hook.REGISTRY_PID_INSERTED), "cancel touches only its node");

        assertTrue(start(List.of(ChildSpec.of("prio-2", CounterChild.class))).isOk());
        TestCluster.await().until(() -> calls.contains("negative:prio-2"));
        assertEquals(List.of("high:prio-1", "mid:prio-1", "mid-2:prio-1", "low:prio-1", "negative:prio-1",
            "high:prio-2", "mid-2:prio-2", "low:prio-2", "negative:prio-2"), calls);

        // A cancelled id can be registered again, with a new priority.
        hooks.register(Hook.REGISTRY_PID_INSERTED, "mid", 1000, (RegistryEvent e) -> { });
        assertEquals(List.of("mid", "high", "mid-2", "low", "negative"), hooks.registered(Hook.REGISTRY_PID_INSERTED));

        assertTrue(hub("a").stopChildren(List.of("prio-1", "prio-2"), StopOptions.defaults()).get(30, TimeUnit.SECONDS).isOk());
    }

    // ------------------------------------------------------------------------------------------ alter

    /** A child the alter chain swaps in: answers what it was created with. */
    public static class AlteredChild implements ChildProcess {
        private final String created;
        private ChildContext ctx;

        public AlteredChild(String created) {
            this.created = created;
        }

        @Override
        public void start(ChildContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Object handle(Object message) {
            switch (String.valueOf(message)) {
                case "created":
                    return created;
                case "metadata":
                    return new HashMap<>(ctx.metadata());
                default:
                    throw new IllegalArgumentException("unknown message: " + message);
            }
        }
    }

    @Test
    void alterHandlersChainInPriorityOrderAndTheFinalSpecIsStartedAndRegistered() throws Exception {
        List<String> chain = new CopyOnWriteArrayList<>();
        AtomicReference<Throwable> idChange = new AtomicReference<>();
        // Registered lowest priority first: the order they run in comes from the priorities.
        onEveryNode(Hook.CHILD_DATA_ALTER, "rename-refused", 5, (ChildDataAlterEvent e) -> {
            if (!e.spec().id().startsWith("alter-"))
                return;
            chain.add("rename-refused@" + e.node());
            try {
                e.setSpec(ChildSpec.of("another-id", CounterChild.class));
            }
            catch (IllegalArgumentException ex) {
                idChange.set(ex);
                throw ex;
            }
        });
        onEveryNode(Hook.CHILD_DATA_ALTER, "swap-class", 10, (ChildDataAlterEvent e) -> {
            ChildSpec s = e.spec();
            if (!s.id().startsWith("alter-"))
                return;
            chain.add("swap-class@" + e.node());
            String stage = s.metadata().get("stage");
            Map<String, String> metadata = new HashMap<>(s.metadata());
            metadata.put("stage2", "after-" + stage);
            e.setSpec(ChildSpec.create(s.id(), AlteredChild.class.getName(), List.of("built-after-" + stage),
                s.restart(), metadata));
        });
        onEveryNode(Hook.CHILD_DATA_ALTER, "stamp", 20, (ChildDataAlterEvent e) -> {
            if (!e.spec().id().startsWith("alter-"))
                return;
            chain.add("stamp@" + e.node());
            e.setSpec(e.spec().withMetadata("stage", "first"));
        });
        assertEquals(List.of("stamp", "swap-class", "rename-refused"), hub("c").hooks().registered(Hook.CHILD_DATA_ALTER));

        ChildSpec requested = ChildSpec.of("alter-1", CounterChild.class).withMetadata("tag", "orig");
        StartResult res = start(List.of(requested));
        assertTrue(res.isOk(), res.toString());
        String owner = res.ref("alter-1").orElseThrow().node();
        assertEquals(List.of("stamp@" + owner, "swap-class@" + owner, "rename-refused@" + owner), chain,
            "the chain runs once, on the owner, highest priority first");
        assertInstanceOf(IllegalArgumentException.class, idChange.get(), "a handler may not change the child id");

        Map<String, String> expected = Map.of("tag", "orig", "stage", "first", "stage2", "after-first");
        awaitEverywhere("alter-1");
        // The running instance was created from the final spec.
        assertEquals("built-after-first", hub("b").call("alter-1", "created", CALL).get());
        assertEquals(expected, hub("c").call("alter-1", "metadata", CALL).get());
        // And the registry holds the final spec on every node.
        for (String node : NODES) {
            ChildInfo info = hub(node).lookup("alter-1").orElseThrow();
            assertEquals(AlteredChild.class.getName(), info.spec().className(), node);
            assertEquals(expected, info.metadata(), node);
            assertEquals(List.of("built-after-first"), List.of(info.spec().args()), node);
            assertEquals(List.of("alter-1"), hub(node).tagQuery("orig").stream().map(ChildInfo::id).collect(Collectors.toList()));
        }
        assertTrue(hub("a").stopChild("alter-1").get(30, TimeUnit.SECONDS).isOk());
    }

    // ------------------------------------------------------------------------------------------ start and restart

    /** A child whose start always fails. */
    public static class FailingChild implements ChildProcess {
        public FailingChild() {
        }

        @Override
        public void start(ChildContext ctx) {
            throw new IllegalStateException("refuses to start");
        }

        @Override
        public Object handle(Object message) {
            return null;
        }
    }

    private static Set<String> ids(List<ChildRef> refs) {
        return refs.stream().map(ChildRef::childId).collect(Collectors.toSet());
    }

    @Test
    void aStartFiresPreChildrenStartPostChildrenStartAndProcessStartupsOnTheOwners() throws Exception {
        List<HubEvent> events = Collections.synchronizedList(new ArrayList<>());
        Predicate<String> mine = id -> id.startsWith("batch-");
        onEveryNode(Hook.PRE_CHILDREN_START, "log", 0, (ChildrenEvent e) -> {
            if (e.children().stream().anyMatch(s -> mine.test(s.id())))
                events.add(e);
        });
        HookHandler<StartEvent> startLog = e -> {
            if (e.started().stream().anyMatch(r -> mine.test(r.childId())) || e.errors().stream().anyMatch(er -> mine.test(er.childId())))
                events.add(e);
        };
        onEveryNode(Hook.POST_CHILDREN_START, "log", 0, startLog);
        onEveryNode(Hook.PROCESS_STARTUPS, "log", 0, startLog);

        List<ChildSpec> specs = new ArrayList<>(counters("batch-", 60));
        specs.add(ChildSpec.of("batch-bad", FailingChild.class));
        StartResult res = start(specs);
        assertEquals(60, res.started().size());
        assertEquals(1, res.errors().size(), res.toString());
        ChildError bad = res.errors().get(0);
        assertEquals("batch-bad", bad.childId());
        assertEquals(ChildError.Reason.START_FAILED, bad.reason());
        Map<String, String> ownerOf = new HashMap<>();
        res.started().forEach(r -> ownerOf.put(r.childId(), r.node()));
        ownerOf.put("batch-bad", bad.node());
        assertTrue(new HashSet<>(ownerOf.values()).size() > 1, "the batch was spread over several owners");

        // Barrier: a later start on every node, so every event of the batch has been delivered.
        List<ChildSpec> barrier = new ArrayList<>();
        for (int i = 0; barrier.stream().map(s -> ringOwner(s.id())).distinct().count() < 3; i++)
            barrier.add(ChildSpec.of("batch-barrier-" + i, CounterChild.class));
        assertTrue(start(barrier).isOk());
        TestCluster.await().until(() -> {
            synchronized (events) {
                return events.stream().filter(e -> e.hook() == Hook.PROCESS_STARTUPS)
                    .flatMap(e -> ((StartEvent)e).started().stream()).filter(r -> r.childId().startsWith("batch-barrier-"))
                    .count() == barrier.size();
            }
        });

        List<HubEvent> all;
        synchronized (events) {
            all = new ArrayList<>(events);
        }
        all.removeIf(e -> e instanceof ChildrenEvent
            ? ((ChildrenEvent)e).children().stream().allMatch(s -> s.id().startsWith("batch-barrier-"))
            : ((StartEvent)e).started().stream().allMatch(r -> r.childId().startsWith("batch-barrier-"))
                && ((StartEvent)e).errors().isEmpty());

        Map<String, Integer> pre = new HashMap<>();
        Map<String, Integer> post = new HashMap<>();
        Map<String, Integer> startups = new HashMap<>();
        List<ChildError> postErrors = new ArrayList<>();
        for (HubEvent e : all) {
            if (e instanceof ChildrenEvent) {
                ChildrenEvent ce = (ChildrenEvent)e;
                assertEquals(e.node(), ce.target());
                for (ChildSpec s : ce.children()) {
                    pre.merge(s.id(), 1, Integer::sum);
                    assertEquals(ownerOf.get(s.id()), e.node(), "PRE_CHILDREN_START of " + s.id() + " on its owner");
                }
                continue;
            }
            StartEvent se = (StartEvent)e;
            for (ChildRef r : se.started()) {
                assertEquals(e.node(), r.node(), "started refs are local to the event's node");
                assertEquals(1, r.incarnation());
                (e.hook() == Hook.POST_CHILDREN_START ? post : startups).merge(r.childId(), 1, Integer::sum);
            }
            if (e.hook() == Hook.POST_CHILDREN_START)
                postErrors.addAll(se.errors());
            else
                assertEquals(List.of(), se.errors(), "PROCESS_STARTUPS reports only registered children");
        }
        Map<String, Integer> everyChildOnce = new HashMap<>();
        ownerOf.keySet().forEach(id -> everyChildOnce.put(id, 1));
        Map<String, Integer> goodOnce = new HashMap<>(everyChildOnce);
        goodOnce.remove("batch-bad");
        assertEquals(everyChildOnce, pre, "PRE_CHILDREN_START: every child of the request once");
        assertEquals(goodOnce, post, "POST_CHILDREN_START: every started child once");
        assertEquals(goodOnce, startups, "PROCESS_STARTUPS: every registered child once");
        assertEquals(1, postErrors.size(), postErrors.toString());
        assertEquals("batch-bad", postErrors.get(0).childId());
        assertEquals(ChildError.Reason.START_FAILED, postErrors.get(0).reason());

        // On each node, a child's events come in order: PRE_CHILDREN_START, POST_CHILDREN_START, PROCESS_STARTUPS.
        for (String id : goodOnce.keySet()) {
            List<Hook> seq = new ArrayList<>();
            for (HubEvent e : all)
                if (e instanceof ChildrenEvent ? ((ChildrenEvent)e).children().stream().anyMatch(s -> s.id().equals(id))
                    : ids(((StartEvent)e).started()).contains(id))
                    seq.add(e.hook());
            assertEquals(List.of(Hook.PRE_CHILDREN_START, Hook.POST_CHILDREN_START, Hook.PROCESS_STARTUPS), seq, id);
        }

        List<String> stop = new ArrayList<>(goodOnce.keySet());
        barrier.forEach(s -> stop.add(s.id()));
        assertTrue(hub("a").stopChildren(stop, StopOptions.defaults()).get(30, TimeUnit.SECONDS).isOk());
    }

    /** The node that owns a child id in the current three-node hub. */
    private static String ringOwner(String childId) {
        return new io.processhub.strategy.ConsistentHashing().placement(NODES).owner(childId);
    }

    @Test
    void aCrashedChildIsRestartedAndChildPidUpdatedNamesBothRefs() throws Exception {
        List<PidUpdatedEvent> updates = new CopyOnWriteArrayList<>();
        PairCounter inserted = new PairCounter("pid-");
        PairCounter removed = new PairCounter("pid-");
        onEveryNode(Hook.CHILD_PID_UPDATED, "log", 0, (PidUpdatedEvent e) -> {
            if (e.current().childId().startsWith("pid-"))
                updates.add(e);
        });
        onEveryNode(Hook.REGISTRY_PID_INSERTED, "log", 0, inserted);
        onEveryNode(Hook.REGISTRY_PID_REMOVED, "log", 0, removed);

        StartResult res = start(List.of(ChildSpec.of("pid-1", CounterChild.class)));
        assertTrue(res.isOk(), res.toString());
        ChildRef first = res.started().get(0);
        assertEquals(1, first.incarnation());
        awaitEverywhere("pid-1");
        assertEquals(1L, hub("a").call("pid-1", "inc", CALL).get());

        ChildRef previous = first;
        for (int crash = 1; crash <= 2; crash++) {
            ExecutionException ex = assertThrows(ExecutionException.class, () -> hub("b").call("pid-1", "crash", CALL).get());
            assertInstanceOf(ChildCallException.class, ex.getCause());
            int n = crash;
            TestCluster.await().until(() -> updates.size() >= n);
            PidUpdatedEvent e = updates.get(crash - 1);
            assertEquals(first.node(), e.node(), "fired on the node that restarted it");
            assertEquals(previous, e.previous());
            ChildRef current = e.current();
            assertEquals("pid-1", current.childId());
            assertEquals(first.nodeId(), current.nodeId(), "restarted in place");
            assertEquals(previous.incarnation() + 1, current.incarnation());
            // Every node's registry moves to the new ref.
            for (String node : NODES)
                TestCluster.await().until(() -> hub(node).activeRef("pid-1").equals(java.util.Optional.of(current)));
            assertEquals(0L, hub("c").call("pid-1", "get", CALL).get(), "a fresh instance");
            previous = current;
        }
        // Barrier for exactness: the registry update of the last restart reached every node.
        ChildRef last = previous;
        TestCluster.await().until(() -> NODES.stream().allMatch(n -> last.equals(inserted.refs.get(n + "/pid-1"))));
        assertEquals(2, updates.size(), "one CHILD_PID_UPDATED per restart");
        // The replica entry is replaced in place: an insert per incarnation and node, never a removal.
        assertEquals(9, inserted.total.get(), "3 incarnations x 3 nodes");
        assertEquals(0, removed.total.get());

        assertTrue(hub("a").stopChild("pid-1").get(30, TimeUnit.SECONDS).isOk());
    }

    // ------------------------------------------------------------------------------------------ slow and failing

    @Test
    void throwingAndBlockedHandlersNeverStallTheHub() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocked = new CountDownLatch(1);
        Map<Hook, AtomicInteger> thrown = new ConcurrentHashMap<>();
        Map<Hook, AtomicInteger> after = new ConcurrentHashMap<>();
        Set<String> insertedPairs = ConcurrentHashMap.newKeySet();
        Set<String> startedIds = ConcurrentHashMap.newKeySet();
        Predicate<HubEvent> mine = e -> e instanceof RegistryEvent ? ((RegistryEvent)e).childId().startsWith("stall-")
            : ((StartEvent)e).started().stream().anyMatch(r -> r.childId().startsWith("stall-"));
        for (Hook hook : List.of(Hook.REGISTRY_PID_INSERTED, Hook.PROCESS_STARTUPS)) {
            onEveryNode(hook, "throws", 30, e -> {
                if (!mine.test(e))
                    return;
                thrown.computeIfAbsent(e.hook(), k -> new AtomicInteger()).incrementAndGet();
                throw new IllegalStateException("a handler failing on purpose");
            });
            onEveryNode(hook, "blocks", 20, e -> {
                if (!mine.test(e))
                    return;
                blocked.countDown();
                release.await();
            });
            onEveryNode(hook, "after", 10, e -> {
                if (!mine.test(e))
                    return;
                after.computeIfAbsent(e.hook(), k -> new AtomicInteger()).incrementAndGet();
                if (e instanceof RegistryEvent)
                    insertedPairs.add(e.node() + '/' + ((RegistryEvent)e).childId());
                else
                    ((StartEvent)e).started().forEach(r -> startedIds.add(r.childId()));
            });
        }
        try {
            StartResult res = start(counters("stall-", 20));
            assertTrue(res.isOk(), res.toString());
            assertEquals(20, res.started().size());
            assertTrue(blocked.await(30, TimeUnit.SECONDS), "the blocking handler runs");
            // Lookups, calls and more starts all work while every hook thread of the hub is stuck.
            for (String node : NODES)
                TestCluster.await().until(() -> IntStream.range(0, 20).allMatch(i -> hub(node).activeRef("stall-" + i).isPresent()));
            assertEquals(1L, hub("c").call("stall-7", "inc", CALL).get());
            assertTrue(start(List.of(ChildSpec.of("stall-more", CounterChild.class))).isOk());
            awaitEverywhere("stall-more");
            assertEquals(1L, hub("b").call("stall-more", "inc", CALL).get());
            assertTrue(hub("c").stopChild("stall-more").get(30, TimeUnit.SECONDS).isOk());
            assertTrue(after.isEmpty(), "no event got past the blocked handler yet: " + after);
        }
        finally {
            release.countDown();
        }
        // The queued events are delivered once the handler returns.
        TestCluster.await().until(() -> insertedPairs.size() == 63 && startedIds.size() == 21);
        for (String node : NODES)
            for (int i = 0; i < 20; i++)
                assertTrue(insertedPairs.contains(node + "/stall-" + i));
        // The throwing handler ran for every event and did not keep the ones after it from running.
        TestCluster.await().until(() -> after.get(Hook.PROCESS_STARTUPS).get() == thrown.get(Hook.PROCESS_STARTUPS).get());
        assertEquals(63, after.get(Hook.REGISTRY_PID_INSERTED).get());
        assertEquals(63, thrown.get(Hook.REGISTRY_PID_INSERTED).get());

        List<String> ids = IntStream.range(0, 20).mapToObj(i -> "stall-" + i).collect(Collectors.toList());
        assertTrue(hub("a").stopChildren(ids, StopOptions.defaults()).get(30, TimeUnit.SECONDS).isOk());
    }
}
