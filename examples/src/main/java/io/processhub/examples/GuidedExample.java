package io.processhub.examples;

import io.processhub.ChildError;
import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import io.processhub.HubConfiguration;
import io.processhub.ProcessHub;
import io.processhub.ProcessHubs;
import io.processhub.StartOptions;
import io.processhub.StartResult;
import io.processhub.strategy.Guided;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.ignite.Ignite;
import org.apache.ignite.Ignition;

/**
 * Guided distribution: the caller says on which node each child runs (a child mapping in the start options), the
 * hub checks the mapping (an unknown node or a child left out is a typed error), and never moves a child. When
 * {@code node-c} shuts down its sensors run nowhere, still registered; when it is back they run there again. Run with
 * {@code mvn -q -pl examples -am compile exec:exec@demo -Ddemo.mainClass=io.processhub.examples.GuidedExample}.
 */
public final class GuidedExample {
    private static final String HUB = "devices";
    /** Its own port base, so it never meets the other examples. */
    private static final int PORT_BASE = 47700;
    private static final List<String> NODES = List.of("node-a", "node-b", "node-c");

    private GuidedExample() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("IGNITE_QUIET", "false");
        Map<String, Ignite> nodes = new LinkedHashMap<>();
        for (String n : NODES)
            nodes.put(n, start(n));
        ProcessHub hub = ProcessHubs.hub(nodes.get("node-a"), HUB);

        // Each sensor runs on the node wired to it: sensor-0 on node-a, sensor-1 on node-b, ...
        Map<String, List<String>> mapping = new LinkedHashMap<>();
        for (int i = 0; i < 6; i++)
            mapping.put("sensor-" + i, List.of(NODES.get(i % NODES.size())));
        List<ChildSpec> specs = mapping.keySet().stream().map(id -> ChildSpec.of(id, CounterChild.class)).toList();
        StartResult res = hub.startChildren(specs, StartOptions.defaults().childMapping(mapping)).get();
        System.out.println("started " + res.started().size() + " sensors where the mapping says");
        print(hub, mapping, "after the start");

        // Bad mappings are refused, child by child, with a typed reason.
        StartResult bad = hub.startChildren(List.of(ChildSpec.of("sensor-z", CounterChild.class),
                ChildSpec.of("sensor-unmapped", CounterChild.class)),
            StartOptions.defaults().childMapping(Map.of("sensor-z", List.of("node-z")))).get();
        for (ChildError e : bad.errors())
            System.out.printf("refused %-16s %-22s %s%n", e.childId(), e.reason(), e.detail());

        System.out.println("node-c shuts down: its sensors are not moved elsewhere");
        nodes.remove("node-c").close();
        awaitUntil(hub, h -> h.refs("sensor-2").isEmpty() && h.refs("sensor-5").isEmpty());
        print(hub, mapping, "without node-c");

        System.out.println("node-c is back: its sensors run there again");
        nodes.put("node-c", start("node-c"));
        awaitUntil(hub, h -> h.refs("sensor-2").size() == 1 && h.refs("sensor-5").size() == 1);
        print(hub, mapping, "with node-c back");

        Ignition.stopAll(true);
        System.exit(0);
    }

    private static Ignite start(String name) {
        return Ignition.start(LocalNode.config(name, PORT_BASE, new HubConfiguration(HUB).setDistributionStrategy(new Guided())));
    }

    private static void awaitUntil(ProcessHub hub, Predicate<ProcessHub> done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!done.test(hub)) {
            if (System.nanoTime() > deadline)
                throw new IllegalStateException("the hub did not settle within 30 s");
            Thread.sleep(20);
        }
    }

    private static void print(ProcessHub hub, Map<String, List<String>> mapping, String when) {
        System.out.println("+------------+------------+-----------------------+  " + when);
        System.out.println("| sensor     | mapped to  | runs on               |");
        System.out.println("+------------+------------+-----------------------+");
        mapping.forEach((id, node) -> System.out.printf("| %-10s | %-10s | %-21s |%n", id, node.get(0),
            hub.activeRef(id).map(ChildRef::node).orElse(hub.lookup(id).isPresent() ? "(nowhere, registered)" : "-")));
        System.out.println("+------------+------------+-----------------------+");
    }
}
