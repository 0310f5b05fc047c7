package io.processhub.tests;

import io.processhub.ChildCallException;
import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import io.processhub.HubConfiguration;
import io.processhub.ProcessHub;
import io.processhub.StartOptions;
import io.processhub.StartResult;
import io.processhub.StopOptions;
import io.processhub.StopResult;
import io.processhub.tests.children.Gates;
import io.processhub.tests.children.ProbeChild;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.ignite.Ignite;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an operator sees of a three-node cluster with hundreds of children through stock Ignite tools only:
 * the hub's metrics over JMX and in {@code SYS.METRICS}, the {@code PROCESSHUB_CHILDREN} and {@code PROCESSHUB_HUBS}
 * system views over JDBC and JMX, and {@code control.sh --system-view / --metric}. Every figure is checked against
 * the hub API of the same node, and the counters against the starts, stops, crashes and the node leaving that the
 * tests cause.
 */
class InspectionTest {
    private static final String HUB = "inspect";
    /** A second hub without children: views list rows of every hub of a node. */
    private static final String IDLE_HUB = "inspect-idle";
    private static final List<String> NODES = List.of("a", "b", "c");
    private static final List<String> METRICS = List.of("member", "members", "topologyVersion", "partitioned", "locked", "draining",
        "localChildren", "registeredChildren", "loopBacklog", "loopBacklogMax", "hookBacklog", "hookEventsDropped",
        "childrenStarted", "childrenStopped", "childStartFailures",
        "childCrashes", "childRestarts", "childrenGivenUp", "childrenMovedIn", "childrenMovedOut", "handoversOut",
        "handoversIn", "membershipChanges", "registryRepairs", "registryCorrections", "reconcilePasses", "illegalTransitions",
        "mailboxRejections", "castsDropped", "castsHeldForOrder", "castsDuplicate", "castsSkipped", "castsResent",
        "checkpointsWritten", "checkpointsRefused", "checkpointsFailed", "checkpointBytes", "checkpointsRestored",
        "lastFullPassMillis");

    private static TestCluster cluster;
    /** The control.sh and SQL output of this run, for the README's examples: target/inspection-transcript.txt. */
    private static final Transcript transcript = new Transcript("inspection-transcript");

    @BeforeAll
    static void startCluster() {
        cluster = new TestCluster(() -> new HubConfiguration[] {new HubConfiguration(HUB), new HubConfiguration(IDLE_HUB)});
        cluster.startAll("a", "b", "c");
        for (ProcessHub h : cluster.hubOnAll(HUB))
            TestCluster.await().until(() -> h.nodes().equals(NODES));
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    private static ProcessHub hub(String node) {
        return cluster.hub(node, HUB);
    }

    @Test
    void metricsOverJmxAndSqlAgreeWithTheHubApiAndCountStartsCrashesAndStops() throws Exception {
        Map<String, Long> started = metricOnEach("childrenStarted");
        Map<String, Long> stopped = metricOnEach("childrenStopped");
        Map<String, Long> restarts = metricOnEach("childRestarts");
        Map<String, Long> crashes = metricOnEach("childCrashes");
        List<ChildSpec> specs = HubState.counters("metric", 600);

        StartResult res = hub("a").startChildren(specs, StartOptions.defaults()).get();

        assertTrue(res.isOk(), res.toString());
        // An owner counts a start before it answers the request.
        assertEquals(600, sumOfDeltas("childrenStarted", started), "childrenStarted over all nodes");
        awaitSettled("metric-", 600);
        for (String node : NODES) {
            ProcessHub h = hub(node);
            assertEquals(h.localChildren().size(), JmxReader.metric(node, HUB, "localChildren"), "localChildren on " + node);
            assertEquals(h.children().size(), JmxReader.metric(node, HUB, "registeredChildren"), "registeredChildren on " + node);
            assertEquals(3, JmxReader.metric(node, HUB, "members"), "members on " + node);
            assertEquals(Boolean.TRUE, JmxReader.metricValue(node, HUB, "member"));
            assertEquals(Boolean.FALSE, JmxReader.metricValue(node, HUB, "partitioned"));
            assertEquals(Boolean.FALSE, JmxReader.metricValue(node, HUB, "locked"));

            Map<String, String> sys = sysMetrics(cluster.node(node), HUB);
            assertEquals(new TreeSet<>(METRICS), sys.keySet(), "metrics of the hub in SYS.METRICS on " + node);
            assertEquals(String.valueOf(h.localChildren().size()), sys.get("localChildren"), "SYS.METRICS localChildren on " + node);
            assertEquals(String.valueOf(h.children().size()), sys.get("registeredChildren"), "SYS.METRICS registeredChildren on " + node);
            assertEquals("3", sys.get("members"));
        }
        assertEquals(600, NODES.stream().mapToLong(n -> hub(n).localChildren().stream()
            .filter(r -> r.childId().startsWith("metric-")).count()).sum());

        List<String> crashed = specs.subList(0, 10).stream().map(ChildSpec::id).collect(Collectors.toList());
        for (String id : crashed) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> hub("b").call(id, "crash", Duration.ofSeconds(5)).get());
            assertInstanceOf(ChildCallException.class, e.getCause());
        }
        TestCluster.await().untilAsserted(() -> {
            assertEquals(10, sumOfDeltas("childCrashes", crashes), "childCrashes over all nodes");
            assertEquals(10, sumOfDeltas("childRestarts", restarts), "childRestarts over all nodes");
        });
        assertEquals(600, sumOfDeltas("childrenStarted", started), "a restart in place is not a start");

        List<String> toStop = specs.subList(0, 100).stream().map(ChildSpec::id).collect(Collectors.toList());
        StopResult stop = hub("c").stopChildren(toStop, StopOptions.defaults()).get();
        assertTrue(stop.isOk(), stop.toString());
        assertEquals(100, sumOfDeltas("childrenStopped", stopped), "childrenStopped over all nodes");
        awaitSettled("metric-", 500);
        for (String node : NODES)
            TestCluster.await().untilAsserted(() -> assertEquals(hub(node).localChildren().size(),
                JmxReader.metric(node, HUB, "childrenStarted") - JmxReader.metric(node, HUB, "childrenStopped"),
                "children started minus stopped on " + node + " is what runs there"));

        stopAll("metric-", specs);
    }

    @Test
    void sqlSystemViewsListTheChildrenAndHubsOfTheNodeAsked() throws Exception {
        List<ChildSpec> specs = new ArrayList<>();
        for (ChildSpec s : HubState.counters("sql", 300))
            specs.add(s.withMetadata("team", "sql"));
        assertTrue(hub("b").startChildren(specs, StartOptions.defaults()).get().isOk());
        awaitSettled("sql-", 300);

        int rows = 0;
        for (String node : NODES) {
            Ignite ignite = cluster.node(node);
            List<Map<String, Object>> children = ThinSql.query(ignite,
                "SELECT * FROM SYS.PROCESSHUB_CHILDREN WHERE HUB_ID = ? AND CHILD_ID LIKE 'sql-%'", HUB);
            assertEquals(localIds(node, "sql-"), children.stream().map(r -> (String)r.get("CHILD_ID"))
                .collect(Collectors.toCollection(TreeSet::new)), "child ids in SYS.PROCESSHUB_CHILDREN on " + node);
            for (Map<String, Object> r : children) {
                assertEquals(node, r.get("NODE"), r.toString());
                assertEquals("RUNNING", r.get("STATE"), r.toString());
                assertEquals("ACTIVE", r.get("ROLE"), r.toString());
                assertEquals(1L, r.get("INCARNATION"), r.toString());
                assertEquals(0L, r.get("RESTARTS"), r.toString());
                assertEquals(io.processhub.examples.CounterChild.class.getName(), r.get("CLASS_NAME"), r.toString());
                assertEquals("PERMANENT", r.get("RESTART_POLICY"), r.toString());
                assertEquals("{team=sql}", r.get("METADATA"), r.toString());
                assertNotNull(r.get("STARTED_AT"), r.toString());
            }
            rows += children.size();

            List<Map<String, Object>> hubs = ThinSql.query(ignite, "SELECT * FROM SYS.PROCESSHUB_HUBS ORDER BY HUB_ID");
            if (node.equals("a")) {
                transcript.sql("SELECT * FROM SYS.PROCESSHUB_HUBS ORDER BY HUB_ID  -- on node a", hubs);
                transcript.sql("SELECT * FROM SYS.PROCESSHUB_CHILDREN WHERE HUB_ID = 'inspect' AND CHILD_ID LIKE 'sql-%'  -- on node a",
                    children);
                String metricsSql = "SELECT NAME, VALUE FROM SYS.METRICS WHERE NAME LIKE 'custom.processhub." + HUB + ".%'";
                transcript.sql(metricsSql + "  -- on node a", ThinSql.query(ignite, metricsSql));
            }
            assertEquals(List.of(HUB, IDLE_HUB), hubs.stream().map(r -> r.get("HUB_ID")).collect(Collectors.toList()));
            Map<String, Object> row = hubs.get(0);
            assertEquals(node, row.get("NODE"));
            assertEquals(true, row.get("MEMBER"));
            assertEquals(3, row.get("MEMBER_COUNT"));
            assertEquals("a,b,c", row.get("MEMBERS"));
            assertEquals(hub(node).localChildren().size(), row.get("LOCAL_CHILDREN"));
            assertEquals(hub(node).children().size(), row.get("REGISTERED_CHILDREN"));
            assertEquals(false, row.get("PARTITIONED"));
            assertEquals(false, row.get("LOCKED"));
            assertEquals(ignite.cluster().topologyVersion(), row.get("TOPOLOGY_VERSION"));
            assertEquals("ConsistentHashing(partitions=1024, virtualNodes=512), Singularity, ColdSwap, PubSub(syncInterval=15000), "
                + "Divergence", row.get("STRATEGIES"));
            assertEquals(0, hubs.get(1).get("LOCAL_CHILDREN"));

            // The same view over JMX lists every child of every hub of the node.
            assertEquals(hub(node).localChildren().size() + cluster.hub(node, IDLE_HUB).localChildren().size(),
                JmxReader.view(node, "processhubChildren").size(), "rows of the JMX view on " + node);
        }
        assertEquals(300, rows, "every child is listed once, by the node it runs on");

        String crashed = specs.get(7).id();
        ChildRef ref = hub("a").activeRef(crashed).orElseThrow();
        assertThrows(ExecutionException.class, () -> hub("a").call(crashed, "crash", Duration.ofSeconds(5)).get());
        TestCluster.await().untilAsserted(() -> {
            List<Map<String, Object>> r = ThinSql.query(cluster.node(ref.node()),
                "SELECT INCARNATION, RESTARTS, STATE FROM SYS.PROCESSHUB_CHILDREN WHERE CHILD_ID = ?", crashed);
            assertEquals(1, r.size(), r.toString());
            assertEquals(2L, r.get(0).get("INCARNATION"));
            assertEquals(1L, r.get(0).get("RESTARTS"));
            assertEquals("RUNNING", r.get(0).get("STATE"));
        });
        String restarted = "SELECT CHILD_ID, STATE, RESTARTS FROM SYS.PROCESSHUB_CHILDREN WHERE HUB_ID = 'inspect' AND RESTARTS > 0";
        transcript.sql(restarted + "  -- on node " + ref.node(), ThinSql.query(cluster.node(ref.node()), restarted));

        stopAll("sql-", specs);
    }

    /**
     * A stop waits in the child's mailbox behind a message the child is still handling: meanwhile the view shows the
     * child as STOPPING (its phase), not as DEAD.
     */
    @Test
    void aChildWhoseStopWaitsBehindABusyMailboxIsListedAsStopping() throws Exception {
        String id = "stopping-0";
        String gate = "inspection-" + id;
        assertTrue(hub("a").startChild(ChildSpec.of(id, ProbeChild.class)).get().isOk());
        awaitSettled("stopping-", 1);
        String where = hub("a").activeRef(id).orElseThrow().node();
        Ignite node = cluster.node(where);
        String state = "SELECT STATE FROM SYS.PROCESSHUB_CHILDREN WHERE CHILD_ID = ?";
        assertEquals(List.of(Map.of("STATE", "RUNNING")), ThinSql.query(node, state, id));

        hub("a").cast(id, "block:" + gate);
        TestCluster.await().until(() -> Gates.arrivals(gate) == 1);
        CompletableFuture<StopResult> stop = hub("a").stopChildren(List.of(id), StopOptions.defaults());
        TestCluster.await().untilAsserted(() -> assertEquals(List.of(Map.of("STATE", "STOPPING")), ThinSql.query(node, state, id)));

        Gates.open(gate);
        assertEquals(Map.of(id, List.of(where)), stop.get().stopped());
        TestCluster.await().untilAsserted(() -> assertEquals(List.of(), ThinSql.query(node, state, id)));
    }

    @Test
    void controlShListsTheViewsTheMetricsAndTheRegistryOfANode() throws Exception {
        List<ChildSpec> specs = HubState.counters("cli", 200);
        assertTrue(hub("c").startChildren(specs, StartOptions.defaults()).get().isOk());
        awaitSettled("cli-", 200);
        Ignite b = cluster.node("b");
        int port = ThinSql.port(b);
        String nodeId = b.cluster().localNode().id().toString();

        ControlUtility.Run view = ControlUtility.run(port, "--system-view", "PROCESSHUB_CHILDREN", "--node-id", nodeId);
        transcript.command("control.sh --system-view PROCESSHUB_CHILDREN --node-id " + nodeId, view.lines);

        assertEquals(0, view.exitCode, view.toString());
        assertTrue(view.lines.stream().anyMatch(l -> l.trim().startsWith("hubId") && l.contains("childId")), view.toString());
        Set<String> listed = new TreeSet<>();
        for (String line : view.lines) {
            String[] cols = line.trim().split("\\s+");
            if (cols.length > 2 && cols[0].equals(HUB) && cols[1].startsWith("cli-")) {
                listed.add(cols[1]);
                assertEquals("b", cols[2], line);
            }
        }
        assertEquals(localIds("b", "cli-"), listed, "children control.sh lists for node b");
        assertFalse(listed.isEmpty());

        ControlUtility.Run hubs = ControlUtility.run(port, "--system-view", "processhubHubs", "--node-id", nodeId);
        transcript.command("control.sh --system-view processhubHubs --node-id " + nodeId, hubs.lines);
        assertEquals(0, hubs.exitCode, hubs.toString());
        assertTrue(hubs.lines.stream().anyMatch(l -> l.trim().startsWith(HUB + " ") && l.contains("a,b,c")), hubs.toString());

        ControlUtility.Run metrics = ControlUtility.run(port, "--metric", "custom.processhub." + HUB, "--node-id", nodeId);
        transcript.command("control.sh --metric custom.processhub." + HUB + " --node-id " + nodeId, metrics.lines);
        assertEquals(0, metrics.exitCode, metrics.toString());
        Map<String, String> values = new TreeMap<>();
        for (String line : metrics.lines) {
            String[] cols = line.trim().split("\\s+");
            if (cols.length == 2 && cols[0].startsWith("custom.processhub." + HUB + "."))
                values.put(cols[0].substring(("custom.processhub." + HUB + ".").length()), cols[1]);
        }
        assertEquals(new TreeSet<>(METRICS), values.keySet(), metrics.toString());
        assertEquals(String.valueOf(hub("b").localChildren().size()), values.get("localChildren"));
        assertEquals("3", values.get("members"));

        ControlUtility.Run scan = ControlUtility.run(port, "--cache", "scan", "processhub-registry-" + HUB, "--limit", "10000");
        transcript.command("control.sh --cache scan processhub-registry-" + HUB + " --limit 10000", scan.lines);
        ControlUtility.Run list = ControlUtility.run(port, "--cache", "list", "processhub-registry-.*");
        assertEquals(0, list.exitCode, list.toString());
        transcript.command("control.sh --cache list processhub-registry-.*", list.lines);
        assertEquals(0, scan.exitCode, scan.toString());
        String scanned = String.join("\n", scan.lines);
        // One log per member: its batches, each with its writer, seq and how many changes it carries.
        for (String node : List.of("a", "b", "c")) {
            String writer = cluster.node(node).cluster().localNode().id().toString();
            assertTrue(scanned.contains("delta:" + writer + ":") && scanned.contains("writer=" + writer),
                "the registry scan lists the batches of " + node + ":\n" + scan);
        }
        assertTrue(scanned.contains("puts=") && scanned.contains("seq="), scan.toString());

        stopAll("cli-", specs);
    }

    @Test
    void aNodeLeavingAndComingBackMovesTheCountersAndTheViews() throws Exception {
        List<ChildSpec> specs = HubState.counters("move", 300);
        assertTrue(hub("a").startChildren(specs, StartOptions.defaults()).get().isOk());
        awaitSettled("move-", 300);
        List<String> survivors = List.of("a", "b");
        Map<String, Long> movedIn = metricOnEach("childrenMovedIn");
        Map<String, Long> movedOut = metricOnEach("childrenMovedOut");
        Map<String, Long> stopped = metricOnEach("childrenStopped");
        Map<String, Long> changes = metricOnEach("membershipChanges");
        Map<String, Long> passes = metricOnEach("reconcilePasses");
        int onC = hub("c").localChildren().size();
        assertTrue(onC > 0, "node c runs some children");

        try {
            cluster.stop("c");

            TestCluster.await().untilAsserted(() -> {
                for (String node : survivors) {
                    assertEquals(2, JmxReader.metric(node, HUB, "members"), "members on " + node);
                    assertTrue(JmxReader.metric(node, HUB, "membershipChanges") > changes.get(node), "membershipChanges on " + node);
                    assertTrue(JmxReader.metric(node, HUB, "reconcilePasses") > passes.get(node), "reconcilePasses on " + node);
                }
                long in = 0;
                for (String node : survivors)
                    in += JmxReader.metric(node, HUB, "childrenMovedIn") - movedIn.get(node);
                assertEquals(onC, in, "children the survivors took over from c");
            });
            awaitSettled(survivors, "move-", 300);
            for (String node : survivors) {
                Map<String, Object> row = ThinSql.query(cluster.node(node),
                    "SELECT MEMBER_COUNT, MEMBERS, LOCAL_CHILDREN FROM SYS.PROCESSHUB_HUBS WHERE HUB_ID = ?", HUB).get(0);
                assertEquals(2, row.get("MEMBER_COUNT"));
                assertEquals("a,b", row.get("MEMBERS"));
                assertEquals(hub(node).localChildren().size(), row.get("LOCAL_CHILDREN"));
            }
        }
        finally {
            if (cluster.node("c") == null)
                cluster.start("c");
        }

        // The returning node registers its metrics afresh; everything it runs came to it by reconciliation.
        awaitSettled("move-", 300);
        TestCluster.await().untilAsserted(() -> {
            long cRuns = hub("c").localChildren().size();
            assertTrue(cRuns > 0);
            assertEquals(3, JmxReader.metric("c", HUB, "members"));
            assertEquals(cRuns, JmxReader.metric("c", HUB, "childrenMovedIn"), "children c took over on its return");
            assertEquals(cRuns, JmxReader.metric("c", HUB, "childrenStarted"));
            long out = 0;
            long stops = 0;
            for (String node : survivors) {
                out += JmxReader.metric(node, HUB, "childrenMovedOut") - movedOut.get(node);
                stops += JmxReader.metric(node, HUB, "childrenStopped") - stopped.get(node);
            }
            assertEquals(cRuns, out, "children a and b gave back to c");
            assertEquals(cRuns, stops, "a moved-out child stops on its old node");
        });

        stopAll("move-", specs);
    }

    // ------------------------------------------------------------------ helpers

    private static Map<String, Long> metricOnEach(String metric) throws Exception {
        Map<String, Long> res = new HashMap<>();
        for (String node : cluster.names())
            res.put(node, JmxReader.metric(node, HUB, metric));
        return res;
    }

    private static long sumOfDeltas(String metric, Map<String, Long> before) throws Exception {
        long sum = 0;
        for (String node : NODES)
            sum += JmxReader.metric(node, HUB, metric) - before.get(node);
        return sum;
    }

    /** The hub's metrics in the SYS.METRICS view of {@code node}: metric name (without the registry) → value. */
    private static Map<String, String> sysMetrics(Ignite node, String hubId) throws Exception {
        String prefix = "custom.processhub." + hubId + ".";
        Map<String, String> res = new TreeMap<>();
        for (Map<String, Object> r : ThinSql.query(node, "SELECT NAME, VALUE FROM SYS.METRICS WHERE NAME LIKE ?", prefix + "%"))
            res.put(((String)r.get("NAME")).substring(prefix.length()), (String)r.get("VALUE"));
        return res;
    }

    private static Set<String> localIds(String node, String prefix) {
        return hub(node).localChildren().stream().map(ChildRef::childId).filter(id -> id.startsWith(prefix))
            .collect(Collectors.toCollection(TreeSet::new));
    }

    private static void awaitSettled(String prefix, int count) {
        awaitSettled(NODES, prefix, count);
    }

    /** Every node's registry copy lists {@code count} children with the prefix, and they run once each. */
    private static void awaitSettled(List<String> nodes, String prefix, int count) {
        TestCluster.await().untilAsserted(() -> {
            int running = 0;
            for (String node : nodes) {
                ProcessHub h = hub(node);
                assertEquals(count, h.children().stream().filter(c -> c.id().startsWith(prefix)).count(), "registry on " + node);
                running += localIds(node, prefix).size();
            }
            assertEquals(count, running, "children running");
        });
    }

    private static void stopAll(String prefix, List<ChildSpec> specs) throws Exception {
        List<String> ids = specs.stream().map(ChildSpec::id).collect(Collectors.toList());
        hub("a").stopChildren(ids, StopOptions.defaults()).get();
        for (String node : cluster.names())
            TestCluster.await().until(() -> hub(node).children().stream().noneMatch(c -> c.id().startsWith(prefix)));
    }
}
