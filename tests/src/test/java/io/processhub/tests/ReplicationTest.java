package io.processhub.tests;

import io.processhub.ChildInfo;
import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import io.processhub.HubConfiguration;
import io.processhub.ProcessHub;
import io.processhub.ReplicaRole;
import io.processhub.Scope;
import io.processhub.StartOptions;
import io.processhub.StartResult;
import io.processhub.hook.Hook;
import io.processhub.hook.RoleChangedEvent;
import io.processhub.strategy.ConsistentHashing;
import io.processhub.strategy.Placement;
import io.processhub.strategy.Replication;
import io.processhub.tests.children.RoleRecordingChild;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replication on four nodes: every child runs on its first owners on the ring; in ACTIVE_PASSIVE exactly one
 * replica is active (the first owner's) and every replica is told its role; when a node leaves, replicas are
 * re-created on the new owners and exactly one stays active. ACTIVE_ACTIVE with clusterSize runs everywhere.
 */
class ReplicationTest {
    private static final String AP = "rep-ap";
    private static final String AA = "rep-aa";
    private static final int N = 200;
    private static TestCluster cluster;

    @BeforeAll
    static void start() {
        cluster = new TestCluster(() -> {
            Replication ap = Replicas.activePassive(2);
            Replication aa = new Replication();
            aa.setClusterSize(true);
            return new HubConfiguration[] {
                new HubConfiguration(AP).setRedundancyStrategy(ap),
                new HubConfiguration(AA).setRedundancyStrategy(aa)};
        });
        cluster.startAll("a", "b", "c", "d");
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static List<ChildSpec> specs(String prefix) {
        return IntStream.range(0, N).mapToObj(i -> ChildSpec.of(prefix + i, RoleRecordingChild.class)).collect(Collectors.toList());
    }

    /** Every node's registry lists exactly {@code copies} replicas per child on the ring owners, one active (or all). */
    private static boolean settled(String hubId, String prefix, List<String> members, int copies, boolean allActive) {
        Placement ring = new ConsistentHashing().placement(members);
        for (String node : cluster.names()) {
            ProcessHub h = cluster.hub(node, hubId);
            for (int i = 0; i < N; i++) {
                String id = prefix + i;
                List<ChildRef> refs = h.refs(id);
                Set<String> nodes = refs.stream().map(ChildRef::node).collect(Collectors.toSet());
                if (refs.size() != copies || !nodes.equals(Set.copyOf(ring.owners(id, copies))))
                    return false;
                long active = refs.stream().filter(r -> r.role() == ReplicaRole.ACTIVE).count();
                if (active != (allActive ? copies : 1))
                    return false;
                if (!allActive && !h.activeRef(id).map(ChildRef::node).orElse("").equals(ring.owner(id)))
                    return false;
            }
        }
        return true;
    }

    private static long runningReplicas(String hubId, String prefix) {
        long n = 0;
        for (String node : cluster.names())
            n += cluster.hub(node, hubId).whichChildren(Scope.LOCAL).stream().filter(r -> r.childId().startsWith(prefix)).count();
        return n;
    }

    @Test
    void activePassiveReplicasFollowTheRingAndKeepOneActiveWhenANodeLeaves() throws Exception {
        ConcurrentHashMap<String, ReplicaRole> promotions = new ConcurrentHashMap<>();
        for (String node : cluster.names())
            cluster.hub(node, AP).hooks().register(Hook.REPLICA_ROLE_CHANGED, "watch", 0,
                (RoleChangedEvent e) -> promotions.put(e.ref().childId() + "@" + e.node(), e.current()));

        StartResult res = cluster.hub("a", AP).startChildren(specs("ap-"), StartOptions.defaults()).get();
        assertTrue(res.isOk(), res.toString());
        assertEquals(2 * N, res.started().size(), "the result lists every replica");
        List<String> all = List.of("a", "b", "c", "d");
        TestCluster.await().until(() -> settled(AP, "ap-", all, 2, false));
        assertEquals(2 * N, runningReplicas(AP, "ap-"));
        for (int i = 0; i < N; i++)
            for (ChildRef r : cluster.hub("a", AP).refs("ap-" + i))
                assertEquals(r.role(), RoleRecordingChild.TOLD.get(r.childId() + "@" + r.node()), "replica told its role: " + r);

        // Calls go to the active replica.
        ChildRef active = cluster.hub("b", AP).activeRef("ap-7").orElseThrow();
        assertEquals("ap-7@" + active.node(), cluster.hub("c", AP).call("ap-7", "who", Duration.ofSeconds(5)).get());

        cluster.stop("d");
        List<String> rest = List.of("a", "b", "c");
        TestCluster.await().until(() -> settled(AP, "ap-", rest, 2, false));
        TestCluster.await().until(() -> runningReplicas(AP, "ap-") == 2 * N);
        for (int i = 0; i < N; i++)
            for (ChildRef r : cluster.hub("a", AP).refs("ap-" + i))
                TestCluster.await().until(() -> r.role() == RoleRecordingChild.TOLD.get(r.childId() + "@" + r.node()));
        Placement before = new ConsistentHashing().placement(all);
        Placement after = new ConsistentHashing().placement(rest);
        List<String> promoted = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            String id = "ap-" + i;
            if (before.owner(id).equals("d") && before.owners(id, 2).get(1).equals(after.owner(id)))
                promoted.add(id + "@" + after.owner(id));
        }
        assertTrue(!promoted.isEmpty(), "some passive replicas had to be promoted");
        for (String p : promoted)
            assertEquals(ReplicaRole.ACTIVE, promotions.get(p), "REPLICA_ROLE_CHANGED for " + p);

        cluster.start("d");
        TestCluster.await().until(() -> settled(AP, "ap-", all, 2, false));
        TestCluster.await().until(() -> runningReplicas(AP, "ap-") == 2 * N);
    }

    @Test
    void activeActiveOnEveryNodeAndStopRemovesEveryReplica() throws Exception {
        List<String> members = cluster.hub("a", AA).nodes();
        int copies = members.size();
        StartResult res = cluster.hub("b", AA).startChildren(specs("aa-"), StartOptions.defaults()).get();
        assertTrue(res.isOk(), res.toString());
        TestCluster.await().until(() -> settled(AA, "aa-", members, copies, true));
        assertEquals((long)copies * N, runningReplicas(AA, "aa-"));

        List<String> ids = IntStream.range(0, N).mapToObj(i -> "aa-" + i).collect(Collectors.toList());
        assertTrue(cluster.hub("c", AA).stopChildren(ids, io.processhub.StopOptions.defaults()).get().isOk());
        TestCluster.await().until(() -> runningReplicas(AA, "aa-") == 0);
        for (String node : cluster.names())
            TestCluster.await().until(() -> cluster.hub(node, AA).children().stream().map(ChildInfo::id).noneMatch(id -> id.startsWith("aa-")));
    }
}
