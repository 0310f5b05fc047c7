package io.processhub.examples;

import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import io.processhub.HubConfiguration;
import io.processhub.ProcessHub;
import io.processhub.ProcessHubs;
import io.processhub.StartOptions;
import io.processhub.StartResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.apache.ignite.Ignite;
import org.apache.ignite.Ignition;

/**
 * The embedded demo: a 3-node cluster in this JVM runs a few hundred children; one node leaves and its
 * children come back on the others; a node joins and only the children it now owns move to it.
 *
 * <p>Run with {@code mvn -q -pl examples -am install -DskipTests && mvn -q -pl examples exec:exec@demo}
 * (see the README).
 */
public final class DemoCluster {
    private static final String HUB = "demo";
    private static final int CHILDREN = 300;
    private static final int PORT_BASE = 47500;

    private final Map<String, Ignite> nodes = new LinkedHashMap<>();

    public static void main(String[] args) throws Exception {
        // Ignite's own start-up banner and topology lines go to the logger (quiet at ERROR), not the console.
        System.setProperty("IGNITE_QUIET", "false");
        new DemoCluster().run();
        System.exit(0);
    }

    private void run() throws Exception {
        step("1. Start a 3-node cluster, each node running hub '" + HUB + "'");
        for (String n : List.of("node-a", "node-b", "node-c"))
            startNode(n);
        ProcessHub hub = ProcessHubs.hub(nodes.get("node-a"), HUB);
        System.out.println("   hub members: " + hub.nodes());

        step("2. Start " + CHILDREN + " counter children in one request, and send each a message");
        List<ChildSpec> specs = new ArrayList<>();
        for (int i = 0; i < CHILDREN; i++)
            specs.add(ChildSpec.of(String.format("counter-%03d", i), CounterChild.class));
        long t0 = System.nanoTime();
        StartResult started = hub.startChildren(specs, StartOptions.defaults()).get();
        System.out.printf("   started %d children (%d errors) in %.1f ms%n", started.started().size(),
            started.errors().size(), (System.nanoTime() - t0) / 1e6);
        for (ChildSpec s : specs)
            hub.call(s.id(), "inc", Duration.ofSeconds(5)).get();
        awaitSettled(hub, CHILDREN);
        Map<String, String> before = placement(hub);
        printTable("where the children run", before, null);

        step("3. Stop node-c: its children restart on their new owners");
        stopNode("node-c");
        hub = ProcessHubs.hub(nodes.get("node-a"), HUB);
        awaitSettled(hub, CHILDREN);
        Map<String, String> afterLeave = placement(hub);
        printTable("after node-c left", afterLeave, before);
        String movedId = before.entrySet().stream().filter(e -> e.getValue().equals("node-c")).findFirst().orElseThrow().getKey();
        System.out.printf("   %s moved from node-c to %s; its counter answers %s (ColdSwap restarts a child afresh)%n",
            movedId, afterLeave.get(movedId), hub.call(movedId, "get", Duration.ofSeconds(5)).get());

        step("4. Add node-d: only the children it now owns move to it");
        startNode("node-d");
        awaitSettled(hub, CHILDREN);
        Map<String, String> afterJoin = placement(hub);
        printTable("after node-d joined", afterJoin, afterLeave);

        step("Done: every child ran exactly once at every step");
        Ignition.stopAll(true);
    }

    private void startNode(String name) {
        long t0 = System.nanoTime();
        nodes.put(name, Ignition.start(LocalNode.config(name, PORT_BASE, new HubConfiguration(HUB))));
        System.out.printf("   %s started in %.0f ms%n", name, (System.nanoTime() - t0) / 1e6);
    }

    private void stopNode(String name) {
        nodes.remove(name).close();
    }

    /** Waits until every child runs exactly once and every node's registry agrees. */
    private void awaitSettled(ProcessHub anyHub, int expected) throws InterruptedException {
        waitUntil(() -> {
            int running = 0;
            for (Ignite n : nodes.values())
                running += ProcessHubs.hub(n, HUB).localChildren().size();
            if (running != expected)
                return false;
            for (Ignite n : nodes.values()) {
                ProcessHub h = ProcessHubs.hub(n, HUB);
                if (h.children().size() != expected || h.children().stream().anyMatch(c -> c.refs().size() != 1
                    || nodes.get(c.refs().get(0).node()) == null))
                    return false;
            }
            return true;
        });
    }

    private static void waitUntil(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline)
                throw new IllegalStateException("the cluster did not settle within 30 s");
            Thread.sleep(20);
        }
    }

    /** Child id → node, from the local registry. */
    private static Map<String, String> placement(ProcessHub hub) {
        Map<String, String> res = new TreeMap<>();
        for (var c : hub.children())
            c.activeRef().map(ChildRef::node).ifPresent(n -> res.put(c.id(), n));
        return res;
    }

    private void printTable(String title, Map<String, String> now, Map<String, String> previous) {
        System.out.println("   " + title + ":");
        System.out.println("   +--------+----------+-------------+-----------+");
        System.out.println("   | node   | children | moved here  | moved out |");
        System.out.println("   +--------+----------+-------------+-----------+");
        Map<String, int[]> rows = new TreeMap<>();
        for (String n : nodes.keySet())
            rows.put(n, new int[3]);
        if (previous != null)
            for (String n : previous.values())
                rows.putIfAbsent(n, new int[3]);
        now.forEach((id, node) -> {
            rows.get(node)[0]++;
            if (previous != null && !node.equals(previous.get(id)))
                rows.get(node)[1]++;
        });
        if (previous != null)
            previous.forEach((id, node) -> {
                if (!node.equals(now.get(id)))
                    rows.get(node)[2]++;
            });
        rows.forEach((node, r) -> System.out.printf("   | %-6s | %8d | %11s | %9s |%n", node.replace("node-", "  "),
            r[0], previous == null ? "-" : String.valueOf(r[1]), previous == null ? "-" : String.valueOf(r[2])));
        System.out.println("   +--------+----------+-------------+-----------+");
        int moved = 0;
        if (previous != null)
            for (var e : now.entrySet())
                if (!e.getValue().equals(previous.get(e.getKey())))
                    moved++;
        if (previous != null)
            System.out.printf("   %d of %d children moved (%.0f%%)%n", moved, now.size(), 100.0 * moved / now.size());
    }

    private static void step(String title) {
        System.out.println();
        System.out.println("== " + title);
    }
}
