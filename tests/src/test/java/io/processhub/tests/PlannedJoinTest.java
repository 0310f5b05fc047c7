package io.processhub.tests;

import io.processhub.ChildSpec;
import io.processhub.HubConfiguration;
import io.processhub.StartOptions;
import io.processhub.strategy.Replication;
import io.processhub.tests.children.RoleTimelineChild;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Make before break on a planned join (ACTIVE_PASSIVE, two copies): when the joining node becomes a child's first
 * owner, the old active replica is demoted only once the new replica runs, and never while another is active.
 * The children themselves record when they started and when they became and stopped being active.
 */
class PlannedJoinTest {
    private static final String HUB = "join";
    private static final int N = 300;
    private static TestCluster cluster;

    @BeforeAll
    static void start() {
        cluster = new TestCluster(() -> {
            Replication ap = Replicas.activePassive(2);
            return new HubConfiguration[] {new HubConfiguration(HUB).setRedundancyStrategy(ap)};
        });
        cluster.startAll("a", "b", "c", "d");
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void theOldActiveReplicaIsDemotedOnlyOnceTheNewOneRuns() throws Exception {
        List<String> ids = IntStream.range(0, N).mapToObj(i -> "pj-" + i).collect(Collectors.toList());
        List<ChildSpec> specs = ids.stream().map(id -> ChildSpec.of(id, RoleTimelineChild.class)).collect(Collectors.toList());
        assertTrue(cluster.hub("a", HUB).startChildren(specs, StartOptions.defaults()).get().isOk());
        TestCluster.await().until(() -> ActiveReplicaChecks.settled(cluster, HUB, ids, 2));

        ActiveMoves moves = ActiveMoves.before(ids, id -> cluster.hub("a", HUB).activeRef(id).orElseThrow().node());
        cluster.start("e");
        TestCluster.await().until(() -> ActiveReplicaChecks.settled(cluster, HUB, ids, 2));

        ActiveMoves.Outcome out = moves.after(id -> cluster.hub("a", HUB).activeRef(id).orElseThrow().node());
        List<String> violations = out.violations;
        System.out.printf("PlannedJoinTest: %d actives moved; no-active gap median %d us, max %d us%n",
            out.gapsMicros.size(), out.medianGapMicros(), out.maxGapMicros());
        assertTrue(violations.isEmpty(), violations.size() + " violations, first: " + violations.subList(0, Math.min(5, violations.size())));
        assertTrue(!out.gapsMicros.isEmpty(), "some active replicas moved to the joining node");
    }
}
