package io.processhub.tests;

import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import io.processhub.HubConfiguration;
import io.processhub.ProcessHub;
import io.processhub.ReplicaRole;
import io.processhub.Scope;
import io.processhub.examples.CounterChild;
import io.processhub.ignite.registry.RegistryDelta;
import io.processhub.ignite.registry.RegistryKeys;
import io.processhub.strategy.PubSub;
import java.time.Duration;
import java.util.UUID;
import org.apache.ignite.IgniteCache;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Anti-entropy: drift injected straight into the registry cache (as a crashed writer or an operator's mistake would
 * leave it) heals by itself. The drift is a batch of a writer that does not exist, forged as the registry stores
 * batches: the cache holds each writer's numbered batches of changes to logical keys (a child's spec under its id, a
 * replica under id + NUL + node id), and every node applies them.
 */
class RegistryDriftTest {
    private static final String HUB = "drift";
    private static TestCluster cluster;

    @BeforeAll
    static void start() {
        cluster = new TestCluster(() -> {
            PubSub sync = new PubSub();
            sync.setSyncInterval(300);
            return new HubConfiguration[] {new HubConfiguration(HUB).setSynchronizationStrategy(sync)};
        });
        cluster.startAll("a", "b", "c");
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static IgniteCache<String, Object> registry() {
        return cluster.node("a").cache("processhub-registry-" + HUB);
    }

    private static String replicaKey(String childId, UUID node) {
        return RegistryKeys.replicaKey(childId, node);
    }

    /** Epochs far ahead of the cluster's; each forged batch goes further, as the nodes' clocks follow the last one. */
    private static long aheadEpoch;

    /** A version above any the cluster has issued yet (an epoch far ahead): it wins over what the nodes wrote. */
    private static long ahead() {
        aheadEpoch += 1_000;
        return aheadEpoch << 40;
    }
    /** A version below any the cluster has issued: it loses to anything the nodes write. */
    private static final long BEHIND = 1L << 12;

    /** Writes one batch of a writer that is no node: puts of specs and refs, removals of logical keys. */
    private static void forge(Object[] puts, long putVersion, String[] removals, long removedUpTo) {
        long[] putVersions = new long[puts.length];
        java.util.Arrays.fill(putVersions, putVersion);
        long[] upTo = new long[removals.length];
        java.util.Arrays.fill(upTo, removedUpTo);
        UUID ghost = UUID.randomUUID();
        registry().put(RegistryKeys.delta(ghost, 1), new RegistryDelta(ghost, 1, Math.max(putVersion, removedUpTo),
            System.currentTimeMillis(), puts, putVersions, removals, upTo));
    }

    private static long runningCopies(String childId) {
        return cluster.hubOnAll(HUB).stream()
            .filter(h -> h.whichChildren(Scope.LOCAL).stream().anyMatch(r -> r.childId().equals(childId))).count();
    }

    @Test
    void entriesOfDeadNodesAreRemoved() throws Exception {
        ProcessHub hub = cluster.hub("a", HUB);
        assertTrue(hub.startChild(ChildSpec.of("d-1", CounterChild.class)).get().isOk());
        UUID ghostNode = UUID.randomUUID();
        forge(new Object[] {new ChildRef(HUB, "d-1", "ghost", ghostNode, 1, ReplicaRole.ACTIVE),
            new ChildRef(HUB, "orphan", "ghost", ghostNode, 1, ReplicaRole.ACTIVE)}, BEHIND, new String[0], 0);

        for (ProcessHub h : cluster.hubOnAll(HUB))
            TestCluster.await().until(() -> h.refs("d-1").size() == 1 && h.refs("orphan").isEmpty());
        assertEquals(1, runningCopies("d-1"));
        assertEquals(1L, hub.call("d-1", "inc", Duration.ofSeconds(5)).get(), "the real child was never touched");
    }

    @Test
    void runningButUnregisteredChildIsRegisteredAgain() throws Exception {
        ProcessHub hub = cluster.hub("b", HUB);
        assertTrue(hub.startChild(ChildSpec.of("d-2", CounterChild.class)).get().isOk());
        TestCluster.await().until(() -> hub.activeRef("d-2").isPresent());
        ChildRef ref = hub.activeRef("d-2").orElseThrow();
        hub.call("d-2", "inc", Duration.ofSeconds(5)).get();

        forge(new Object[0], 0, new String[] {replicaKey("d-2", ref.nodeId())}, ahead());

        for (ProcessHub h : cluster.hubOnAll(HUB))
            TestCluster.await().until(() -> h.lookup("d-2").isPresent() && h.activeRef("d-2").equals(java.util.Optional.of(ref)));
        assertEquals(2L, hub.call("d-2", "inc", Duration.ofSeconds(5)).get(), "same instance, state kept: it was never restarted");
        assertEquals(1, runningCopies("d-2"));
    }

    @Test
    void deletingTheSpecEntryStopsTheChildEverywhere() throws Exception {
        ProcessHub hub = cluster.hub("b", HUB);
        assertTrue(hub.startChild(ChildSpec.of("d-3", CounterChild.class)).get().isOk());
        TestCluster.await().until(() -> runningCopies("d-3") == 1);

        forge(new Object[0], 0, new String[] {"d-3"}, ahead()); // the spec is the desired state: removing it means "stop"

        TestCluster.await().until(() -> runningCopies("d-3") == 0);
        for (ProcessHub h : cluster.hubOnAll(HUB))
            TestCluster.await().until(() -> h.lookup("d-3").isEmpty() && h.refs("d-3").isEmpty());
    }

    @Test
    void registeredButNotRunningIsDroppedOrStarted() {
        UUID nodeB = cluster.node("b").cluster().localNode().id();
        // A replica entry for a child that node b does not run, and no spec: dropped.
        // A spec that nothing runs: its owner starts it, once.
        forge(new Object[] {new ChildRef(HUB, "phantom", "b", nodeB, 1, ReplicaRole.ACTIVE),
            ChildSpec.of("wanted", CounterChild.class)}, BEHIND, new String[0], 0);

        for (ProcessHub h : cluster.hubOnAll(HUB))
            TestCluster.await().until(() -> h.refs("phantom").isEmpty() && h.activeRef("wanted").isPresent());
        assertEquals(0, runningCopies("phantom"));
        TestCluster.await().until(() -> runningCopies("wanted") == 1);
        ProcessHub hub = cluster.hub("c", HUB);
        ChildRef ref = hub.activeRef("wanted").orElseThrow();
        assertEquals(hub.lookup("wanted").orElseThrow().refs(), java.util.List.of(ref));
    }
}
