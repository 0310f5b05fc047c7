package io.processhub.tests;

import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import io.processhub.HubConfiguration;
import io.processhub.ProcessHub;
import io.processhub.ReplicaRole;
import io.processhub.RestartPolicy;
import io.processhub.Scope;
import io.processhub.StartOptions;
import io.processhub.strategy.Replication;
import io.processhub.tests.children.ProbeChild;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A passive replica promoted in place (its active replica's node left) is the same instance with a new role:
 * its context must follow it. Before, the context compared refs, so the promoted child's exit() was ignored and
 * its self()/role() still said PASSIVE.
 */
class PromotedReplicaTest {
    private static final String HUB = "promoted";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static TestCluster cluster;

    @BeforeAll
    static void start() {
        cluster = new TestCluster(() -> {
            Replication ap = new Replication();
            ap.setReplicationFactor(2);
            ap.setReplicationModel(Replication.ReplicationModel.ACTIVE_PASSIVE);
            return new HubConfiguration[] {new HubConfiguration(HUB).setRedundancyStrategy(ap)};
        });
        cluster.startAll("a", "b", "c");
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void aPromotedReplicaKnowsItsRoleAndItsExitStopsTheChild() throws Exception {
        String id = "promoted-1";
        assertTrue(cluster.hub("a", HUB).startChildren(List.of(ChildSpec.of(id, ProbeChild.class).withRestart(RestartPolicy.TRANSIENT)),
            StartOptions.defaults()).get().isOk());
        TestCluster.await().until(() -> cluster.hub("a", HUB).refs(id).size() == 2 && cluster.hub("a", HUB).activeRef(id).isPresent());
        ChildRef active = cluster.hub("a", HUB).activeRef(id).orElseThrow();
        ChildRef passive = cluster.hub("a", HUB).refs(id).stream().filter(r -> r.role() == ReplicaRole.PASSIVE).findFirst().orElseThrow();

        cluster.stop(active.node());
        ProcessHub survivor = cluster.hub(passive.node(), HUB);
        TestCluster.await().until(() -> survivor.activeRef(id).map(ChildRef::node).equals(Optional.of(passive.node())));
        assertEquals(passive.node(), survivor.call(id, "where", TIMEOUT).get(), "the call reaches the promoted replica");
        assertEquals(1L, survivor.call(id, "incarnation", TIMEOUT).get(), "promoted in place, not restarted");
        assertEquals("ACTIVE", survivor.call(id, "role", TIMEOUT).get(), "role() after the promotion");

        survivor.call(id, "exit", TIMEOUT).get();
        TestCluster.await().until(() -> survivor.lookup(id).isEmpty() && survivor.refs(id).isEmpty());
        for (String node : cluster.names())
            TestCluster.await().until(() -> cluster.hub(node, HUB).whichChildren(Scope.LOCAL).stream().noneMatch(r -> r.childId().equals(id)));
    }
}
