package io.processhub.tests;

import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import io.processhub.HubConfiguration;
import io.processhub.ProcessHub;
import io.processhub.hook.Hook;
import io.processhub.hook.RegistryEvent;
import io.processhub.ignite.registry.RegistryEventLoss;
import io.processhub.strategy.SynchronizationStrategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static io.processhub.tests.HubState.assertRegistryAgrees;
import static io.processhub.tests.HubState.assertRunningOnce;
import static io.processhub.tests.HubState.localChildren;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Registry events lost on purpose (a test-only switch drops a share of them on arrival at every node): the batches
 * that arrive ahead of a lost one reveal it at once and it is read from the cache; a lost last batch, which nothing
 * reveals, is found by the sync interval's digest check. Every node converges, and the registry hooks still fire
 * exactly once per change per node.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RegistryLostEvents {
    private static final String HUB = "lossy";
    private static final List<String> NODES = List.of("l1", "l2", "l3");
    static final long SYNC_INTERVAL_MILLIS = 500;
    private final HookLog log = new HookLog();
    private TestCluster cluster;

    /** The hub's synchronization strategy, with a sync interval of {@link #SYNC_INTERVAL_MILLIS}. */
    abstract SynchronizationStrategy synchronization();

    @BeforeAll
    void start() {
        cluster = new TestCluster(() -> new HubConfiguration[] {
            new HubConfiguration(HUB).setSynchronizationStrategy(synchronization()).setHooks(log.registrations())});
        cluster.startAll(NODES.toArray(new String[0]));
    }

    @AfterEach
    void deliverAgain() {
        RegistryEventLoss.drop(HUB, 0);
    }

    @AfterAll
    void stop() {
        cluster.close();
    }

    @Test
    void everyNodeConvergesAndHooksFireOncePerChange() throws Exception {
        Map<String, ProcessHub> hubs = cluster.hubs(HUB, NODES);
        int mark = log.mark();
        long correctionsBefore = corrections();
        RegistryEventLoss.drop(HUB, 0.3);

        // Several writers: each node starts a share, in batches, then a third are stopped.
        List<ChildSpec> specs = HubState.counters("lost-", 600);
        List<String> stopped = new ArrayList<>();
        for (int i = 0; i < specs.size(); i += 50) {
            ProcessHub via = hubs.get(NODES.get(i / 50 % NODES.size()));
            assertTrue(via.startChildren(specs.subList(i, i + 50), null).get(30, TimeUnit.SECONDS).isOk());
        }
        for (int i = 0; i < specs.size(); i += 3)
            stopped.add(specs.get(i).id());
        for (int i = 0; i < stopped.size(); i += 40)
            hubs.get(NODES.get(i / 40 % NODES.size())).stopChildren(stopped.subList(i, Math.min(stopped.size(), i + 40)), null).get(30, TimeUnit.SECONDS);
        Set<String> live = new HashSet<>(HubState.ids(specs));
        live.removeAll(stopped);

        TestCluster.await().atMost(Duration.ofSeconds(30))
            .untilAsserted(() -> assertEquals(assertRunningOnce(localChildren(hubs), live), assertRegistryAgrees(hubs, live)));
        // Lost, not late: their events never come, so each counts once the wait for it is over.
        TestCluster.await().until(() -> corrections() > correctionsBefore);

        // Hooks run on each node's hook thread: counted once they are all delivered.
        for (String node : NODES)
            TestCluster.await().untilAsserted(() -> {
                Map<String, Integer> inserted = count(mark, node, Hook.REGISTRY_PID_INSERTED);
                Map<String, Integer> removed = count(mark, node, Hook.REGISTRY_PID_REMOVED);
                for (ChildSpec s : specs)
                    assertEquals(1, inserted.getOrDefault(s.id(), 0), "REGISTRY_PID_INSERTED of " + s.id() + " on " + node);
                for (String id : stopped)
                    assertEquals(1, removed.getOrDefault(id, 0), "REGISTRY_PID_REMOVED of " + id + " on " + node);
                assertEquals(stopped.size(), removed.size(), "removals on " + node + ": only the stopped children");
            });
    }

    @Test
    void aLostLastBatchIsFoundByTheDigestCheck() throws Exception {
        Map<String, ProcessHub> hubs = cluster.hubs(HUB, NODES);
        RegistryEventLoss.drop(HUB, 1.0); // nothing arrives: no later batch can reveal the gap
        ChildSpec spec = ChildSpec.of("lost-last", io.processhub.examples.CounterChild.class);
        ProcessHub writer = hubs.get("l2");
        // The start waits for its own registration to be seen here, so it completes only once the digest found it.
        assertTrue(writer.startChild(spec).get(30, TimeUnit.SECONDS).isOk());
        RegistryEventLoss.drop(HUB, 0);
        for (ProcessHub h : hubs.values())
            TestCluster.await().atMost(Duration.ofMillis(SYNC_INTERVAL_MILLIS * 4))
                .until(() -> h.activeRef("lost-last").isPresent());
        ChildRef ref = writer.activeRef("lost-last").orElseThrow();
        for (ProcessHub h : hubs.values())
            assertEquals(ref, h.activeRef("lost-last").orElseThrow());
    }

    private Map<String, Integer> count(int mark, String node, Hook hook) {
        Map<String, Integer> res = new HashMap<>();
        for (RegistryEvent e : log.since(mark, node, hook, RegistryEvent.class, e -> true))
            res.merge(e.childId(), 1, Integer::sum);
        return res;
    }

    private long corrections() throws Exception {
        long n = 0;
        for (String node : NODES)
            n += JmxReader.metric(node, HUB, "registryCorrections");
        return n;
    }
}
