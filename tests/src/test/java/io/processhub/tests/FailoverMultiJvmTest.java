package io.processhub.tests;

import io.processhub.ChildInfo;
import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import io.processhub.HubConfiguration;
import io.processhub.NoSuchChildException;
import io.processhub.ProcessHub;
import io.processhub.ProcessHubs;
import io.processhub.Scope;
import io.processhub.StartOptions;
import io.processhub.StartResult;
import io.processhub.tests.children.ProbeChild;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Collectors;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteException;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.lang.IgniteCallable;
import org.apache.ignite.resources.IgniteInstanceResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static io.processhub.tests.HubState.assertAllEqual;
import static io.processhub.tests.HubState.assertPlacement;
import static io.processhub.tests.HubState.assertRegistriesAgree;
import static io.processhub.tests.HubState.assertRegistryAgrees;
import static io.processhub.tests.HubState.assertRunningOnce;
import static io.processhub.tests.HubState.callAll;
import static io.processhub.tests.HubState.expectedOwners;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real crashes: nodes in child JVMs are killed with {@code kill -9} (no goodbye to the cluster) while they run
 * children. Cluster: {@code c1} (child JVM, started first, so the oldest member — the one that cleans the
 * registry after dead nodes), {@code a} and {@code b} (this JVM), {@code c2} (child JVM). First {@code c2} is
 * killed, then the oldest, {@code c1}; after each kill every child of the dead node runs again, exactly once,
 * on its new owner, and no survivor keeps a registry entry of the dead node. Last, {@code c2} comes back in a
 * new JVM under the same consistent id (a new node id) and takes back the children the ring gives it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FailoverMultiJvmTest {
    private static final String HUB = "fo";
    private static final int CHILDREN = 1000;
    private static final Duration JVM_READY = Duration.ofSeconds(90);
    /** Prefix of the test-only child that blocks a call; not one of the counted children. */
    private static final String BLOCKER = "blocker-";

    private static TestCluster cluster;
    private static ChildJvm c1;
    private static ChildJvm c2;
    private static final Set<String> IDS = new TreeSet<>();

    @BeforeAll
    static void startCluster() throws Exception {
        long t0 = System.nanoTime();
        c1 = ChildJvm.launch("c1", TestCluster.PORT_BASE, HUB).awaitReady(JVM_READY);
        System.out.printf("[measure] c1 ready %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        cluster = new TestCluster(() -> new HubConfiguration[] {new HubConfiguration(HUB)});
        cluster.start("a");
        System.out.printf("[measure] a ready %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        cluster.start("b");
        System.out.printf("[measure] b ready %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        c2 = ChildJvm.launch("c2", TestCluster.PORT_BASE, HUB).awaitReady(JVM_READY);
        System.out.printf("[measure] c2 ready %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        for (String n : List.of("a", "b"))
            TestCluster.await().untilAsserted(() -> assertEquals(List.of("a", "b", "c1", "c2"), cluster.hub(n, HUB).nodes()));
        ClusterNode oldest = cluster.node("a").cluster().forServers().forOldest().node();
        assertEquals(c1.nodeId(), oldest.id(), "c1 is the oldest node");
        System.out.printf("[measure] cluster of 2 child JVM nodes + 2 in-JVM nodes up in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    }

    @AfterAll
    static void stopCluster() {
        try {
            for (ChildJvm jvm : new ChildJvm[] {c2, c1})
                if (jvm != null)
                    jvm.close();
        }
        finally {
            if (cluster != null)
                cluster.close();
        }
    }

    @Test
    @Order(1)
    void childrenOfAKilledNodeRestartOnTheSurvivorsExactlyOnce() throws Exception {
        List<ChildSpec> specs = HubState.counters("fo", CHILDREN);
        IDS.addAll(HubState.ids(specs));
        StartResult res = cluster.hub("a", HUB).startChildren(specs, StartOptions.defaults()).get();
        assertTrue(res.isOk(), res.toString());
        assertEquals(CHILDREN, res.started().size());
        Map<String, Long> perNode = res.started().stream().collect(Collectors.groupingBy(ChildRef::node, TreeMap::new, Collectors.counting()));
        assertEquals(Set.of("a", "b", "c1", "c2"), perNode.keySet(), "children on every node, also the child JVMs: " + perNode);
        assertTrue(res.started().stream().filter(r -> r.node().equals("c2")).allMatch(r -> r.nodeId().equals(c2.nodeId())));

        List<String> all = List.of("a", "b", "c1", "c2");
        TestCluster.await().untilAsserted(() -> assertSettled(all, null));
        killAndVerify(c2, List.of("a", "b", "c1"));
    }

    @Test
    @Order(2)
    void killingTheOldestNodeHandsTheCleanupToTheNextOldest() throws Exception {
        assertFalse(IDS.isEmpty(), "runs after the first test");
        assertTrue(c1.isAlive());
        // A call in flight to a child on c1 that never answers: when c1 dies the caller learns it at once,
        // not at the call's one-minute timeout.
        Map<String, String> blockerOwners = expectedOwners(
            IntStream.range(0, 100).mapToObj(i -> BLOCKER + i).collect(Collectors.toCollection(TreeSet::new)), List.of("a", "b", "c1"));
        String blocker = blockerOwners.entrySet().stream().filter(e -> e.getValue().equals("c1")).findFirst().orElseThrow().getKey();
        assertTrue(cluster.hub("a", HUB).startChild(ChildSpec.of(blocker, ProbeChild.class)).get().isOk());
        CompletableFuture<Object> stuck = cluster.hub("b", HUB).call(blocker, "block:never-released", Duration.ofMinutes(1));
        killAndVerify(c1, List.of("a", "b"));
        ExecutionException failure = assertThrows(ExecutionException.class, () -> stuck.get(30, TimeUnit.SECONDS));
        assertInstanceOf(NoSuchChildException.class, failure.getCause());
        assertTrue(failure.getCause().getMessage().contains("c1 left the cluster"), failure.getCause().getMessage());
        assertTrue(cluster.hub("a", HUB).stopChild(blocker).get().isOk());
        assertEquals(cluster.node("a").cluster().localNode().id(),
            cluster.node("b").cluster().forServers().forOldest().node().id(), "a is now the oldest");
    }

    @Test
    @Order(3)
    void aCrashedNodeThatComesBackUnderItsNameGetsItsChildrenBackAsANewNode() throws Exception {
        assertFalse(c2.isAlive());
        List<String> before2 = List.of("a", "b");
        Map<String, ChildRef> before = assertSettled(before2, c2.nodeId());
        callAll(cluster.hub("a", HUB), IDS, "inc");
        Map<String, Object> countsBefore = callAll(cluster.hub("b", HUB), IDS, "get");
        UUID oldId = c2.nodeId();

        long t0 = System.nanoTime();
        c2 = ChildJvm.launch("c2", TestCluster.PORT_BASE, HUB).awaitReady(JVM_READY);
        long readyMs = (System.nanoTime() - t0) / 1_000_000;
        assertFalse(oldId.equals(c2.nodeId()), "a restarted node has a new node id");
        List<String> members = List.of("a", "b", "c2");
        Map<String, String> owners = expectedOwners(IDS, members);
        Set<String> moving = IDS.stream().filter(id -> owners.get(id).equals("c2")).collect(Collectors.toCollection(TreeSet::new));
        assertFalse(moving.isEmpty());
        TestCluster.await().ignoreExceptionsInstanceOf(IgniteException.class).untilAsserted(() -> {
            for (String n : List.of("a", "b"))
                assertEquals(members, cluster.hub(n, HUB).nodes(), "members seen by " + n);
            assertPlacement(assertSettled(members, oldId), owners);
        });
        System.out.printf("[measure] c2 back after %d ms (JVM start), %d children moved to it, settled after %d ms%n",
            readyMs, moving.size(), (System.nanoTime() - t0) / 1_000_000);

        Map<String, ChildRef> after = assertSettled(members, oldId);
        for (String id : IDS) {
            if (moving.contains(id)) {
                assertEquals(c2.nodeId(), after.get(id).nodeId(), id + " runs on the new c2");
                assertEquals(1, after.get(id).incarnation(), id);
            }
            else
                assertEquals(before.get(id), after.get(id), id + " stayed where it was");
        }
        Map<String, Object> counts = callAll(cluster.hub("a", HUB), IDS, "get");
        Set<String> stayed = new TreeSet<>(IDS);
        stayed.removeAll(moving);
        List<String> changed = stayed.stream().filter(id -> !countsBefore.get(id).equals(counts.get(id))).collect(Collectors.toList());
        assertTrue(changed.isEmpty(), "children that stayed kept their state: " + HubState.sample(changed));
        assertAllEqual(counts, moving, 0L, "children that moved to c2 started anew");
    }

    /**
     * Kills {@code victim} and checks: its children restart on their new owners (fresh, incarnation 1, count
     * 0), the other children are untouched (same ref, same count), each runs exactly once, no survivor keeps
     * an entry of the dead node, and hub.nodes() drops it.
     */
    private void killAndVerify(ChildJvm victim, List<String> survivors) throws Exception {
        Map<String, ChildRef> before = assertSettled(survivorsPlus(survivors, victim.name()), null);
        Set<String> onVictim = before.entrySet().stream().filter(e -> e.getValue().node().equals(victim.name()))
            .map(Map.Entry::getKey).collect(Collectors.toCollection(TreeSet::new));
        assertFalse(onVictim.isEmpty(), victim.name() + " runs children");
        assertTrue(onVictim.stream().allMatch(id -> before.get(id).nodeId().equals(victim.nodeId())));

        // Every child counts one more message; the ones on the victim lose their count with it.
        callAll(cluster.hub("b", HUB), IDS, "inc");
        Map<String, Object> countsBefore = callAll(cluster.hub("a", HUB), IDS, "get");

        long t0 = System.nanoTime();
        victim.kill();
        long killedMs = (System.nanoTime() - t0) / 1_000_000;
        long[] goneMs = {-1};
        Map<String, String> owners = expectedOwners(IDS, survivors);
        // Compute snapshots of remote nodes may hit the topology change itself: retry those, not failed assertions.
        TestCluster.await().ignoreExceptionsInstanceOf(IgniteException.class).untilAsserted(() -> {
            for (String n : List.of("a", "b")) {
                assertEquals(survivors, cluster.hub(n, HUB).nodes(), "members seen by " + n);
                if (goneMs[0] < 0 && n.equals("b"))
                    goneMs[0] = (System.nanoTime() - t0) / 1_000_000;
            }
            Map<String, ChildRef> now = assertSettled(survivors, victim.nodeId());
            assertPlacement(now, owners);
        });
        long settledMs = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("[measure] kill -9 of %s (%d children): process gone after %d ms, dropped from hub.nodes() after ~%d ms, "
            + "all restarted and registry clean after %d ms%n", victim.name(), onVictim.size(), killedMs, goneMs[0], settledMs);

        Map<String, ChildRef> after = assertSettled(survivors, victim.nodeId());
        for (String id : IDS) {
            ChildRef now = after.get(id);
            if (onVictim.contains(id)) {
                assertEquals(owners.get(id), now.node(), id);
                assertEquals(1, now.incarnation(), id + " started anew");
            }
            else
                assertEquals(before.get(id), now, id + " was not on " + victim.name() + " and was left alone");
        }
        Map<String, Object> counts = callAll(cluster.hub("b", HUB), IDS, "get");
        Set<String> stayed = new TreeSet<>(IDS);
        stayed.removeAll(onVictim);
        List<String> changed = stayed.stream().filter(id -> !countsBefore.get(id).equals(counts.get(id))).collect(Collectors.toList());
        assertTrue(changed.isEmpty(), "children on survivors kept their state: " + HubState.sample(changed));
        assertAllEqual(counts, onVictim, 0L, "children of the dead node were restarted fresh");
        for (String id : onVictim)
            assertTrue(survivors.contains((String)cluster.hub("a", HUB).call(id, "where", Duration.ofSeconds(5)).get()));
    }

    private static List<String> survivorsPlus(List<String> survivors, String victim) {
        List<String> res = new ArrayList<>(survivors);
        res.add(victim);
        res.sort(null);
        return res;
    }

    /**
     * Asserts, across JVMs, that every node's registry copy lists the children with one identical ref each,
     * none on {@code deadNode}, that they run exactly once over {@code nodes}, and that registry and running
     * instances agree; returns child → ref.
     */
    private static Map<String, ChildRef> assertSettled(List<String> nodes, UUID deadNode) {
        Ignite local = cluster.node("a");
        Map<String, Map<String, List<ChildRef>>> registries = new TreeMap<>();
        Map<String, List<ChildRef>> running = new TreeMap<>();
        for (String n : nodes) {
            Snapshot s = snapshot(local, n);
            assertEquals(nodes, s.members, "members seen by " + n);
            registries.put(n, s.registry);
            running.put(n, s.local);
            if (deadNode != null)
                for (List<ChildRef> refs : s.registry.values())
                    for (ChildRef r : refs)
                        assertFalse(r.nodeId().equals(deadNode), "registry on " + n + " still lists " + r + " of the dead node");
        }
        Map<String, ChildRef> agreed = assertRegistriesAgree(registries, IDS);
        assertEquals(agreed, assertRunningOnce(running, IDS), "registry and running children agree");
        Map<String, ProcessHub> inJvm = new TreeMap<>();
        for (String n : List.of("a", "b"))
            inJvm.put(n, cluster.hub(n, HUB));
        assertEquals(agreed, assertRegistryAgrees(inJvm, IDS));
        for (ProcessHub h : inJvm.values())
            assertEquals(CHILDREN, h.children().stream().filter(c -> !c.id().startsWith(BLOCKER)).count());
        return agreed;
    }

    /** The hub as one node sees it, taken on that node (in this JVM or another) by a compute job. */
    private static Snapshot snapshot(Ignite from, String node) {
        ClusterNode target = from.cluster().forServers().nodes().stream()
            .filter(n -> node.equals(String.valueOf(n.consistentId()))).findFirst().orElse(null);
        assertNotNull(target, "node " + node + " is in the topology");
        return from.compute(from.cluster().forNode(target)).call(new TakeSnapshot(HUB));
    }

    /** What one node knows about a hub: its members, its registry copy and the children it runs. */
    static final class Snapshot {
        ArrayList<String> members;
        HashMap<String, List<ChildRef>> registry;
        ArrayList<ChildRef> local;
    }

    static final class TakeSnapshot implements IgniteCallable<Snapshot> {
        private static final long serialVersionUID = 1L;

        private final String hubId;

        @IgniteInstanceResource
        private transient Ignite ignite;

        TakeSnapshot(String hubId) {
            this.hubId = hubId;
        }

        @Override
        public Snapshot call() {
            ProcessHub hub = ProcessHubs.hub(ignite, hubId);
            Snapshot s = new Snapshot();
            s.members = new ArrayList<>(hub.nodes());
            s.local = new ArrayList<>(hub.whichChildren(Scope.LOCAL));
            s.registry = new HashMap<>();
            for (ChildInfo info : hub.children())
                s.registry.put(info.id(), new ArrayList<>(info.refs()));
            return s;
        }
    }
}
