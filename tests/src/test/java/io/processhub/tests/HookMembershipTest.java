package io.processhub.tests;

import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import io.processhub.HubConfiguration;
import io.processhub.ProcessHub;
import io.processhub.ProcessHubs;
import io.processhub.StartResult;
import io.processhub.examples.CounterChild;
import io.processhub.examples.LocalNode;
import io.processhub.hook.ChildrenEvent;
import io.processhub.hook.Hook;
import io.processhub.hook.HubEvent;
import io.processhub.hook.LockEvent;
import io.processhub.hook.MembershipEvent;
import io.processhub.hook.RedistributionEvent;
import io.processhub.hook.RegistryEvent;
import io.processhub.strategy.ConsistentHashing;
import io.processhub.strategy.Placement;
import io.processhub.strategy.PubSub;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.ignite.Ignite;
import org.apache.ignite.Ignition;
import org.apache.ignite.spi.discovery.tcp.TcpDiscoverySpi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Membership hooks on a three-node hub that a fourth node joins and leaves, cleanly or by crashing. Every node's
 * {@link HubConfiguration} registers a {@link HookLog} for every hook, so the joining node reports from its
 * first moment. Each test ends with the three core nodes alone and every child on its three-node owner.
 */
class HookMembershipTest {
    private static final String HUB = "members";
    private static final List<String> CORE = List.of("m1", "m2", "m3");
    private static final int CHILDREN = 150;
    private static final Set<Hook> MEMBERSHIP = EnumSet.of(Hook.PRE_CLUSTER_JOIN, Hook.POST_CLUSTER_JOIN,
        Hook.PRE_CLUSTER_LEAVE, Hook.POST_CLUSTER_LEAVE, Hook.PRIORITY_STATE_UPDATED,
        Hook.PRE_NODES_REDISTRIBUTION, Hook.POST_NODES_REDISTRIBUTION);
    private static final HookLog log = new HookLog();
    /** Nodes started outside the TestCluster (the crashed one must be stopped by name). */
    private static final List<String> extra = new ArrayList<>();
    private static final AtomicInteger barriers = new AtomicInteger();
    private static TestCluster cluster;
    private static List<String> ids;

    static HubConfiguration[] hubs() {
        // No anti-entropy round within a test: what converges, converges by itself, not by the periodic repair.
        PubSub sync = new PubSub();
        sync.setSyncInterval(300_000);
        return new HubConfiguration[] {new HubConfiguration(HUB).setSynchronizationStrategy(sync).setHooks(log.registrations())};
    }

    @BeforeAll
    static void start() throws Exception {
        cluster = new TestCluster(HookMembershipTest::hubs);
        cluster.startAll(CORE.toArray(new String[0]));
        for (ProcessHub h : cluster.hubOnAll(HUB))
            TestCluster.await().until(() -> h.nodes().equals(CORE));
        ids = IntStream.range(0, CHILDREN).mapToObj(i -> "m-" + i).collect(Collectors.toList());
        StartResult res = cluster.hub("m1", HUB).startChildren(
            ids.stream().map(id -> ChildSpec.of(id, CounterChild.class)).collect(Collectors.toList()), null)
            .get(30, TimeUnit.SECONDS);
        assertTrue(res.isOk(), res.toString());
        awaitPlaced(coreHubs(), CORE);
    }

    @AfterAll
    static void stop() {
        for (String name : extra)
            Ignition.stop(name, true);
        if (cluster != null)
            cluster.close();
    }

    private static Ignite startExtra(String name) {
        extra.add(name);
        return Ignition.start(LocalNode.config(name, TestCluster.PORT_BASE, hubs()));
    }

    private static Map<String, ProcessHub> coreHubs() {
        Map<String, ProcessHub> res = new LinkedHashMap<>();
        for (String n : CORE)
            res.put(n, cluster.hub(n, HUB));
        return res;
    }

    private static Map<String, ProcessHub> with(String name, Ignite node) {
        Map<String, ProcessHub> res = coreHubs();
        res.put(name, ProcessHubs.hub(node, HUB));
        return res;
    }

    /** The owner of every child for a membership, as every node computes it. */
    private static Map<String, String> placement(List<String> members) {
        Placement p = new ConsistentHashing().placement(members);
        Map<String, String> res = new HashMap<>();
        for (String id : ids)
            res.put(id, p.owner(id));
        return res;
    }

    /** Waits until each node runs exactly the children it owns and every registry copy shows one ref per child, on its owner. */
    private static void awaitPlaced(Map<String, ProcessHub> hubs, List<String> members) {
        Map<String, String> owners = placement(members);
        hubs.forEach((name, h) -> {
            Set<String> own = owners.entrySet().stream().filter(e -> e.getValue().equals(name))
                .map(Map.Entry::getKey).collect(Collectors.toSet());
            TestCluster.await().until(() -> h.localChildren().stream().map(ChildRef::childId)
                .filter(id -> id.startsWith("m-")).collect(Collectors.toSet()).equals(own));
            TestCluster.await().until(() -> ids.stream().allMatch(id -> {
                List<ChildRef> refs = h.refs(id);
                return refs.size() == 1 && refs.get(0).node().equals(owners.get(id));
            }));
        });
    }

    /**
     * Starts and stops a child and waits until every node reported both: events a node fired before have been
     * delivered by then, so counts taken afterwards are final.
     */
    private static void barrier(Map<String, ProcessHub> hubs) throws Exception {
        String id = "barrier-" + barriers.incrementAndGet();
        int mark = log.mark();
        ProcessHub any = hubs.values().iterator().next();
        assertTrue(any.startChild(ChildSpec.of(id, CounterChild.class)).get(30, TimeUnit.SECONDS).isOk());
        for (String node : hubs.keySet())
            TestCluster.await().until(() -> !registry(mark, node, Hook.REGISTRY_PID_INSERTED, id).isEmpty());
        assertTrue(any.stopChild(id).get(30, TimeUnit.SECONDS).isOk());
        for (String node : hubs.keySet())
            TestCluster.await().until(() -> !registry(mark, node, Hook.REGISTRY_PID_REMOVED, id).isEmpty());
    }

    private static List<RegistryEvent> registry(int mark, String node, Hook hook, String childId) {
        return log.since(mark, node, hook, RegistryEvent.class, e -> e.childId().equals(childId));
    }

    /** Registry events of the test's children since {@code mark} on {@code node}, as child id -> the refs named. */
    private static Map<String, List<ChildRef>> registryEvents(int mark, String node, Hook hook) {
        Map<String, List<ChildRef>> res = new HashMap<>();
        for (RegistryEvent e : log.since(mark, node, hook, RegistryEvent.class, e -> e.childId().startsWith("m-")))
            res.computeIfAbsent(e.childId(), k -> new ArrayList<>()).add(e.ref());
        return res;
    }

    /** Children named by the events of a children hook since {@code mark}, per child: the nodes that reported it. */
    private static Map<String, List<String>> childrenEvents(int mark, String node, Hook hook, String target) {
        Map<String, List<String>> res = new HashMap<>();
        for (ChildrenEvent e : log.since(mark, node, hook, ChildrenEvent.class, e -> true)) {
            assertEquals(target, e.target(), hook + " on " + e.node());
            for (ChildSpec s : e.children())
                if (s.id().startsWith("m-"))
                    res.computeIfAbsent(s.id(), k -> new ArrayList<>()).add(e.node());
        }
        return res;
    }

    /**
     * The membership events one node fires for one change, in order: pre/post join or leave naming the member,
     * locked, pre/post redistribution with the new members, unlocked. Returns the topology version.
     */
    private static long assertChange(int mark, String node, String member, UUID memberId, boolean join, boolean failed,
        List<String> members) {
        TestCluster.await().until(() -> log.since(mark, node, MEMBERSHIP).size() >= 6);
        List<HubEvent> seq = log.since(mark, node, MEMBERSHIP);
        assertEquals(6, seq.size(), node + ": " + seq);
        Hook pre = join ? Hook.PRE_CLUSTER_JOIN : Hook.PRE_CLUSTER_LEAVE;
        Hook post = join ? Hook.POST_CLUSTER_JOIN : Hook.POST_CLUSTER_LEAVE;
        for (int i = 0; i < 2; i++) {
            MembershipEvent m = (MembershipEvent)seq.get(i);
            assertEquals(i == 0 ? pre : post, m.hook(), node + ": " + seq);
            assertEquals(member, m.member());
            assertEquals(memberId, m.memberId());
            assertEquals(failed, m.failed(), node + ": " + m.hook() + " failed()");
            assertEquals(HUB, m.hubId());
        }
        assertEquals(Hook.PRIORITY_STATE_UPDATED, seq.get(2).hook());
        assertTrue(((LockEvent)seq.get(2)).locked(), node + ": locked first");
        RedistributionEvent r1 = (RedistributionEvent)seq.get(3);
        RedistributionEvent r2 = (RedistributionEvent)seq.get(4);
        assertEquals(Hook.PRE_NODES_REDISTRIBUTION, r1.hook());
        assertEquals(Hook.POST_NODES_REDISTRIBUTION, r2.hook());
        for (RedistributionEvent r : List.of(r1, r2)) {
            assertEquals(members, r.members());
            assertEquals(join ? List.of(member) : List.of(), r.joined());
            assertEquals(join ? List.of() : List.of(member), r.left());
        }
        assertEquals(r1.topologyVersion(), r2.topologyVersion());
        assertEquals(Hook.PRIORITY_STATE_UPDATED, seq.get(5).hook());
        assertFalse(((LockEvent)seq.get(5)).locked(), node + ": unlocked last");
        return r1.topologyVersion();
    }

    private static Set<String> ownedBy(Map<String, String> owners, String node) {
        return owners.entrySet().stream().filter(e -> e.getValue().equals(node)).map(Map.Entry::getKey).collect(Collectors.toSet());
    }

    /** Each child of {@code expected} exactly once, reported on the node {@code owners} names. */
    private static void assertOncePerChild(Set<String> expected, Map<String, List<String>> reported, Map<String, String> owners,
        String what) {
        assertEquals(expected, reported.keySet(), what);
        reported.forEach((id, nodes) -> assertEquals(List.of(owners.get(id)), nodes, what + " of " + id));
    }

    @Test
    void aJoiningNodeTakesOverItsChildrenAndAGracefulLeaveGivesThemBack() throws Exception {
        Map<String, String> before = placement(CORE);
        List<String> four = List.of("m1", "m2", "m3", "m4");
        Map<String, String> after = placement(four);
        Set<String> moving = ownedBy(after, "m4");
        assertFalse(moving.isEmpty());
        for (String id : ids)
            assertTrue(before.get(id).equals(after.get(id)) || after.get(id).equals("m4"), "only moves to the new node");

        int mark = log.mark();
        Ignite m4 = startExtra("m4");
        UUID m4Id = m4.cluster().localNode().id();
        Map<String, ProcessHub> hubs = with("m4", m4);
        awaitPlaced(hubs, four);

        // The members the hub had see the join; the joining node does not see itself join.
        for (String node : CORE)
            assertEquals(m4.cluster().localNode().order(), assertChange(mark, node, "m4", m4Id, true, false, four), node);
        assertEquals(List.of(), log.since(mark, "m4", MEMBERSHIP));

        // The old owners hand the children over (CHILDREN_MIGRATED towards m4), the new one takes them over.
        TestCluster.await().until(() -> CORE.stream().mapToInt(n -> childrenEvents(mark, n, Hook.CHILDREN_MIGRATED, "m4").size()).sum()
            >= moving.size());
        TestCluster.await().until(() -> childrenEvents(mark, "m4", Hook.PRE_CHILDREN_REDISTRIBUTION, "m4").size() >= moving.size());
        // Each core node's registry copy drops the old ref and learns the new one.
        for (String node : CORE)
            TestCluster.await().until(() -> registryEvents(mark, node, Hook.REGISTRY_PID_REMOVED).size() >= moving.size()
                && registryEvents(mark, node, Hook.REGISTRY_PID_INSERTED).size() >= moving.size());
        barrier(hubs);

        Map<String, List<String>> migrated = new HashMap<>();
        for (String node : CORE)
            childrenEvents(mark, node, Hook.CHILDREN_MIGRATED, "m4").forEach((id, n) -> migrated.computeIfAbsent(id, k -> new ArrayList<>()).addAll(n));
        assertOncePerChild(moving, migrated, before, "CHILDREN_MIGRATED");
        assertOncePerChild(moving, childrenEvents(mark, "m4", Hook.PRE_CHILDREN_REDISTRIBUTION, "m4"), after, "PRE_CHILDREN_REDISTRIBUTION");
        for (String node : CORE) {
            assertEquals(Map.of(), childrenEvents(mark, node, Hook.PRE_CHILDREN_REDISTRIBUTION, node), "nothing moves to " + node);
            Map<String, List<ChildRef>> removed = registryEvents(mark, node, Hook.REGISTRY_PID_REMOVED);
            Map<String, List<ChildRef>> inserted = registryEvents(mark, node, Hook.REGISTRY_PID_INSERTED);
            assertEquals(moving, removed.keySet(), node);
            assertEquals(moving, inserted.keySet(), node);
            for (String id : moving) {
                assertEquals(1, removed.get(id).size(), node + " " + id);
                assertEquals(before.get(id), removed.get(id).get(0).node());
                assertEquals(1, inserted.get(id).size(), node + " " + id);
                assertEquals(m4Id, inserted.get(id).get(0).nodeId());
            }
        }

        // A graceful leave.
        int mark2 = log.mark();
        m4.close();
        // The hook thread of m4 delivered its queue before the node finished stopping.
        assertEquals(1, log.since(mark2, "m4", Set.of(Hook.HUB_SHUTDOWN)).size());
        Map<String, ProcessHub> core = coreHubs();
        awaitPlaced(core, CORE);
        Set<Long> versions = new HashSet<>();
        for (String node : CORE)
            versions.add(assertChange(mark2, node, "m4", m4Id, false, false, CORE));
        assertEquals(1, versions.size(), "every node handled the same topology version");
        for (String node : CORE)
            TestCluster.await().until(() -> registryEvents(mark2, node, Hook.REGISTRY_PID_REMOVED).size() >= moving.size());
        barrier(core);
        for (String node : CORE) {
            assertEquals(List.of(), log.since(mark2, node, Set.of(Hook.HUB_SHUTDOWN)), node + " keeps running");
            Map<String, List<ChildRef>> removed = registryEvents(mark2, node, Hook.REGISTRY_PID_REMOVED);
            assertEquals(moving, removed.keySet(), node);
            for (String id : moving)
                assertEquals(List.of(m4Id), removed.get(id).stream().map(ChildRef::nodeId).collect(Collectors.toList()), node + " " + id);
        }
        Map<String, List<String>> restarted = new HashMap<>();
        for (String node : CORE)
            childrenEvents(mark2, node, Hook.PRE_CHILDREN_REDISTRIBUTION, node).forEach((id, n) -> restarted.computeIfAbsent(id, k -> new ArrayList<>()).addAll(n));
        assertOncePerChild(moving, restarted, before, "PRE_CHILDREN_REDISTRIBUTION after the leave");
    }

    @Test
    void aCrashedNodeIsForgottenWithOneRemovalPerChildOnEverySurvivor() throws Exception {
        Map<String, String> before = placement(CORE);
        List<String> withM5 = List.of("m1", "m2", "m3", "m5");
        Set<String> moving = ownedBy(placement(withM5), "m5");
        assertFalse(moving.isEmpty());

        Ignite m5 = startExtra("m5");
        UUID m5Id = m5.cluster().localNode().id();
        try {
            awaitPlaced(with("m5", m5), withM5);
            assertEquals(moving, ProcessHubs.hub(m5, HUB).localChildren().stream().map(ChildRef::childId)
                .filter(id -> id.startsWith("m-")).collect(Collectors.toSet()));
            barrier(with("m5", m5));

            int mark = log.mark();
            ((TcpDiscoverySpi)cluster.node("m1").configuration().getDiscoverySpi()).failNode(m5Id, "test");

            for (String node : CORE)
                assertChange(mark, node, "m5", m5Id, false, true, CORE);
            Map<String, ProcessHub> core = coreHubs();
            awaitPlaced(core, CORE);
            for (String node : CORE)
                TestCluster.await().until(() -> registryEvents(mark, node, Hook.REGISTRY_PID_REMOVED).size() >= moving.size());
            barrier(core);

            // Each survivor forgets each child the dead node ran, once, naming the dead node's ref.
            for (String node : CORE) {
                Map<String, List<ChildRef>> removed = registryEvents(mark, node, Hook.REGISTRY_PID_REMOVED);
                assertEquals(moving, removed.keySet(), node);
                for (String id : moving)
                    assertEquals(List.of(m5Id), removed.get(id).stream().map(ChildRef::nodeId).collect(Collectors.toList()),
                        node + " " + id);
                for (String id : ids)
                    assertTrue(cluster.hub(node, HUB).refs(id).stream().noneMatch(r -> r.nodeId().equals(m5Id)));
            }
            Map<String, List<String>> restarted = new HashMap<>();
            for (String node : CORE)
                childrenEvents(mark, node, Hook.PRE_CHILDREN_REDISTRIBUTION, node).forEach((id, n) -> restarted.computeIfAbsent(id, k -> new ArrayList<>()).addAll(n));
            assertOncePerChild(moving, restarted, before, "PRE_CHILDREN_REDISTRIBUTION after the crash");
            assertEquals(CHILDREN, CORE.stream().mapToLong(n -> cluster.hub(n, HUB).localChildren().stream()
                .filter(r -> r.childId().startsWith("m-")).count()).sum());
        }
        finally {
            Ignition.stop("m5", true);
        }
    }
}
