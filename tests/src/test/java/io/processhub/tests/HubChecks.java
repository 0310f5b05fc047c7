package io.processhub.tests;

import io.processhub.ChildRef;
import io.processhub.ProcessHub;
import io.processhub.strategy.ConsistentHashing;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the tests of this package observe about one hub across every node of a {@link TestCluster}. */
final class HubChecks {
    private final TestCluster cluster;
    private final String hubId;

    HubChecks(TestCluster cluster, String hubId) {
        this.cluster = cluster;
        this.hubId = hubId;
    }

    /** The node the default ring places {@code childId} on (the hub's configured distribution is the default one). */
    String ownerOf(String childId) {
        return new ConsistentHashing().placement(cluster.hub(cluster.names().get(0), hubId).nodes()).owner(childId);
    }

    /** The first id {@code prefix + i} the ring places on {@code node}. */
    String idOwnedBy(String prefix, String node) {
        for (int i = 0; ; i++)
            if (ownerOf(prefix + i).equals(node))
                return prefix + i;
    }

    /** How many nodes run {@code childId} right now, by their supervisors' own account. */
    int runningCount(String childId) {
        int n = 0;
        for (ProcessHub h : cluster.hubOnAll(hubId))
            for (ChildRef r : h.localChildren())
                if (r.childId().equals(childId))
                    n++;
        return n;
    }

    /** Ids starting with {@code prefix} that some node runs. */
    Set<String> runningIds(String prefix) {
        Set<String> res = new TreeSet<>();
        for (ProcessHub h : cluster.hubOnAll(hubId))
            for (ChildRef r : h.localChildren())
                if (r.childId().startsWith(prefix))
                    res.add(r.childId());
        return res;
    }

    /** Ids starting with {@code prefix} that {@code h}'s registry copy lists. */
    static Set<String> registeredIds(ProcessHub h, String prefix) {
        return h.children().stream().map(c -> c.id()).filter(id -> id != null && id.startsWith(prefix))
            .collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * Waits until, for the ids starting with {@code prefix}, every node's registry lists exactly {@code expected},
     * each with exactly one ref, and each runs on exactly one node, the one its ref names.
     */
    void awaitExactly(String prefix, Set<String> expected) {
        TestCluster.await().untilAsserted(() -> {
            for (ProcessHub h : cluster.hubOnAll(hubId))
                assertEquals(new TreeSet<>(expected), registeredIds(h, prefix),
                    "registry of " + prefix + "* as seen by one node");
            assertEquals(new TreeSet<>(expected), runningIds(prefix), "running " + prefix + "*");
            for (String id : expected) {
                assertEquals(1, runningCount(id), id + " runs on exactly one node");
                for (ProcessHub h : cluster.hubOnAll(hubId)) {
                    List<ChildRef> refs = h.refs(id);
                    assertEquals(1, refs.size(), id + " has one ref: " + refs);
                    assertTrue(
                        cluster.hub(refs.get(0).node(), hubId).localChildren().contains(refs.get(0)),
                        "the registered ref " + refs.get(0) + " is the instance its node runs");
                }
            }
        });
    }

    /** Waits until no node lists or runs {@code childId}. */
    void awaitGone(String childId) {
        TestCluster.await().until(() -> isGone(childId));
    }

    /** Checks that {@code childId} stays gone for {@code d} (longer than the sync interval, so reconciliation ran). */
    void assertStaysGone(String childId, Duration d) {
        TestCluster.await().during(d).atMost(d.plusSeconds(5)).until(() -> isGone(childId));
    }

    boolean isGone(String childId) {
        for (ProcessHub h : cluster.hubOnAll(hubId))
            if (h.lookup(childId).isPresent() || !h.refs(childId).isEmpty())
                return false;
        return runningCount(childId) == 0;
    }

    /** Waits until every node's registry shows {@code childId}'s active ref with this incarnation. */
    ChildRef awaitIncarnationEverywhere(String childId, long incarnation) {
        TestCluster.await().until(() -> cluster.hubOnAll(hubId).stream()
            .allMatch(h -> h.activeRef(childId).map(ChildRef::incarnation).orElse(-1L) == incarnation
                && h.refs(childId).size() == 1));
        return cluster.hub(cluster.names().get(0), hubId).activeRef(childId).orElseThrow();
    }

    /** The exception a future fails with (unwrapped), within 10 s. */
    static Throwable failureOf(CompletableFuture<?> f) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
        return e.getCause();
    }
}
