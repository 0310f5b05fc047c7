package io.processhub.tests;

import io.processhub.ChildSpec;
import io.processhub.HubConfiguration;
import io.processhub.StartOptions;
import io.processhub.strategy.Replication;
import io.processhub.tests.children.RoleTimelineChild;
import io.processhub.tests.children.RoleTimelineChild.Event;
import java.util.ArrayList;
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

    /** The node whose replica is active before event {@code upTo}, or null, given the one active at the start. */
    private static String activeAt(List<Event> events, int upTo, String initial) {
        String active = initial;
        for (int i = 0; i < upTo; i++) {
            Event e = events.get(i);
            if (e.what.equals("ACTIVE"))
                active = e.node;
            else if (e.node.equals(active))
                active = null; // told PASSIVE, or stopped
        }
        return active;
    }

    @Test
    void theOldActiveReplicaIsDemotedOnlyOnceTheNewOneRuns() throws Exception {
        List<String> ids = IntStream.range(0, N).mapToObj(i -> "pj-" + i).collect(Collectors.toList());
        List<ChildSpec> specs = ids.stream().map(id -> ChildSpec.of(id, RoleTimelineChild.class)).collect(Collectors.toList());
        assertTrue(cluster.hub("a", HUB).startChildren(specs, StartOptions.defaults()).get().isOk());
        TestCluster.await().until(() -> ActiveReplicaChecks.settled(cluster, HUB, ids, 2));

        java.util.Map<String, String> activeBefore = new java.util.HashMap<>();
        java.util.Map<String, Integer> firstNew = new java.util.HashMap<>();
        for (String id : ids) {
            activeBefore.put(id, cluster.hub("a", HUB).activeRef(id).orElseThrow().node());
            firstNew.put(id, RoleTimelineChild.EVENTS.get(id).size());
        }
        cluster.start("e");
        TestCluster.await().until(() -> ActiveReplicaChecks.settled(cluster, HUB, ids, 2));

        List<String> violations = new ArrayList<>();
        List<Long> gaps = new ArrayList<>();
        for (String id : ids) {
            String old = activeBefore.get(id);
            List<Event> events;
            synchronized (RoleTimelineChild.EVENTS.get(id)) {
                events = new ArrayList<>(RoleTimelineChild.EVENTS.get(id));
            }
            int from = firstNew.get(id);
            String now = cluster.hub("a", HUB).activeRef(id).orElseThrow().node();
            if (now.equals(old))
                continue;
            Long newStarted = null;
            Long oldDemoted = null;
            Long newActive = null;
            for (int i = from; i < events.size(); i++) {
                Event e = events.get(i);
                String before = activeAt(events.subList(from, events.size()), i - from, old);
                if (e.what.equals("ACTIVE") && before != null && !before.equals(e.node))
                    violations.add(id + ": two active replicas at once: " + events.subList(from, events.size()));
                if (e.node.equals(now) && e.what.equals("STARTED") && newStarted == null)
                    newStarted = e.nanos;
                if (e.node.equals(old) && !e.what.equals("ACTIVE") && !e.what.equals("STARTED") && oldDemoted == null)
                    oldDemoted = e.nanos;
                if (e.node.equals(now) && e.what.equals("ACTIVE") && newActive == null)
                    newActive = e.nanos;
            }
            if (newStarted == null || oldDemoted == null || newActive == null)
                violations.add(id + ": incomplete move: " + events.subList(from, events.size()));
            else if (oldDemoted < newStarted)
                violations.add(id + ": the old active was demoted before the new replica ran: " + events.subList(from, events.size()));
            else
                gaps.add((newActive - oldDemoted) / 1_000);
        }
        gaps.sort(null);
        if (!gaps.isEmpty())
            System.out.printf("PlannedJoinTest: %d actives moved; no-active gap median %d us, max %d us%n",
                gaps.size(), gaps.get(gaps.size() / 2), gaps.get(gaps.size() - 1));
        assertTrue(violations.isEmpty(), violations.size() + " violations, first: " + violations.subList(0, Math.min(5, violations.size())));
        assertTrue(!gaps.isEmpty(), "some active replicas moved to the joining node");
    }
}
