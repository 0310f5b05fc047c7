package io.processhub.examples;

import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import io.processhub.DrainException;
import io.processhub.HubConfiguration;
import io.processhub.ProcessHub;
import io.processhub.ProcessHubs;
import io.processhub.Scope;
import io.processhub.StartOptions;
import io.processhub.hook.DrainEvent;
import io.processhub.hook.Hook;
import io.processhub.strategy.ConsistentHashing;
import io.processhub.strategy.HotSwap;
import io.processhub.strategy.Placement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.ignite.Ignite;
import org.apache.ignite.Ignition;

/**
 * Draining a node before taking it down: {@code hub.drain("node-c")} moves node-c's counters to their next owners
 * with their counts (HotSwap), completes once node-c runs none, and keeps new children off it; draining every node is
 * refused; {@code undrain} gives node-c its counters back. Run with
 * {@code mvn -q -pl examples -am compile exec:exec@demo -Ddemo.mainClass=io.processhub.examples.DrainExample}.
 */
public final class DrainExample {
    private static final String HUB = "counters";
    /** Its own port base, so it never meets the other examples. */
    private static final int PORT_BASE = 47800;
    private static final int CHILDREN = 30;

    private DrainExample() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, Ignite> nodes = new LinkedHashMap<>();
        try {
            for (String n : List.of("node-a", "node-b", "node-c"))
                nodes.put(n, Ignition.start(LocalNode.config(n, PORT_BASE, new HubConfiguration(HUB).setMigrationStrategy(new HotSwap()))));
            run(nodes, ProcessHubs.hub(nodes.get("node-a"), HUB));
        }
        finally {
            Ignition.stopAll(true);
        }
        System.exit(0);
    }

    private static void run(Map<String, Ignite> nodes, ProcessHub hub) throws Exception {
        hub.hooks().register(Hook.NODE_DRAINING, "print", 0,
            (DrainEvent e) -> System.out.println("hook NODE_DRAINING: " + e.member() + " (seen on " + e.node() + ")"));
        List<ChildSpec> specs = new ArrayList<>();
        for (int i = 0; i < CHILDREN; i++)
            specs.add(ChildSpec.of("counter-" + i, StatefulCounterChild.class));
        hub.startChildren(specs, StartOptions.defaults()).get();
        for (int i = 0; i < CHILDREN; i++)
            for (int k = 0; k <= i % 4; k++)
                hub.call("counter-" + i, "inc", Duration.ofSeconds(5)).get();
        print(nodes, hub, "started, each counter at 1..4");

        hub.drain("node-c").get(60, TimeUnit.SECONDS);
        print(nodes, hub, "node-c drained (draining: " + hub.drainingNodes() + ")");

        hub.startChild(ChildSpec.of("counter-new", StatefulCounterChild.class)).get();
        System.out.println("a new counter starts on " + hub.activeRef("counter-new").map(ChildRef::node).orElse("?")
            + ", never on node-c");

        hub.drain("node-a").get(60, TimeUnit.SECONDS);
        try {
            hub.drain("node-b").get();
        }
        catch (ExecutionException e) {
            DrainException refusal = (DrainException)e.getCause();
            System.out.println("refused: " + refusal.reason() + " - " + refusal.getMessage());
        }
        hub.undrain("node-a").get();
        hub.undrain("node-c").get();
        awaitRing(nodes, hub);
        print(nodes, hub, "undrained: the ring gives node-a and node-c their counters back");
    }

    /** Waits until every counter runs on its owner on the ring over all the nodes, and is registered there. */
    private static void awaitRing(Map<String, Ignite> nodes, ProcessHub hub) throws InterruptedException {
        Placement ring = new ConsistentHashing().placement(new ArrayList<>(nodes.keySet()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            int placed = 0;
            for (var e : nodes.entrySet())
                for (ChildRef r : ProcessHubs.hub(e.getValue(), HUB).whichChildren(Scope.LOCAL))
                    if (ring.owner(r.childId()).equals(e.getKey())
                        && hub.activeRef(r.childId()).map(a -> a.node().equals(e.getKey())).orElse(false))
                        placed++;
            if (placed == hub.children().size())
                return;
            Thread.sleep(20);
        }
        throw new IllegalStateException("the counters did not settle within 30 s");
    }

    private static void print(Map<String, Ignite> nodes, ProcessHub hub, String when) throws Exception {
        System.out.println("== " + when);
        for (var e : nodes.entrySet()) {
            List<ChildRef> local = ProcessHubs.hub(e.getValue(), HUB).whichChildren(Scope.LOCAL);
            StringBuilder counts = new StringBuilder();
            for (ChildRef r : local)
                counts.append(' ').append(r.childId().substring("counter-".length())).append('=')
                    .append(hub.call(r.childId(), "get", Duration.ofSeconds(5)).get());
            System.out.printf("  %-7s runs %2d:%s%n", e.getKey(), local.size(), counts);
        }
    }
}
