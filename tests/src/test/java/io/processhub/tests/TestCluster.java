package io.processhub.tests;

import io.processhub.HubConfiguration;
import io.processhub.ProcessHub;
import io.processhub.ProcessHubs;
import io.processhub.examples.LocalNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.ignite.Ignite;
import org.apache.ignite.Ignition;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/**
 * Real Ignite server nodes in this JVM, on a port base of this JVM's own (from its pid), so test classes
 * and child JVMs of other tests never meet.
 */
public final class TestCluster implements AutoCloseable {
    /**
     * This JVM's port base: 20 000 + a slot of 30 ports chosen by the pid, all below 32 768, where Linux's ephemeral
     * range starts: a port in that range can be taken by any outgoing connection, and a node then fails to bind
     * (seen once in the suite, at base 49 790).
     */
    public static final int PORT_BASE = 20_000 + (int)(ProcessHandle.current().pid() % 400) * 30;

    private final Map<String, Ignite> nodes = new LinkedHashMap<>();
    private final Supplier<HubConfiguration[]> hubs;

    /** A cluster whose nodes all run the hubs {@code hubs} supplies (fresh objects per node). */
    public TestCluster(Supplier<HubConfiguration[]> hubs) {
        this.hubs = hubs;
    }

    public Ignite start(String name) {
        return start(LocalNode.config(name, PORT_BASE, hubs.get()));
    }

    public Ignite start(IgniteConfiguration cfg) {
        Ignite ignite = Ignition.start(cfg);
        nodes.put(cfg.getIgniteInstanceName(), ignite);
        return ignite;
    }

    public List<Ignite> startAll(String... names) {
        List<Ignite> res = new ArrayList<>();
        for (String n : names)
            res.add(start(n));
        return res;
    }

    public void stop(String name) {
        Ignite ignite = nodes.remove(name);
        if (ignite != null)
            ignite.close();
    }

    public Ignite node(String name) {
        return nodes.get(name);
    }

    public List<String> names() {
        return new ArrayList<>(nodes.keySet());
    }

    public ProcessHub hub(String node, String hubId) {
        return ProcessHubs.hub(nodes.get(node), hubId);
    }

    /** The hub on each of these nodes, by node name, in their order. */
    public Map<String, ProcessHub> hubs(String hubId, Collection<String> nodeNames) {
        Map<String, ProcessHub> res = new LinkedHashMap<>();
        for (String n : nodeNames)
            res.put(n, hub(n, hubId));
        return res;
    }

    /** The same hub on every node of the cluster. */
    public List<ProcessHub> hubOnAll(String hubId) {
        List<ProcessHub> res = new ArrayList<>();
        for (Ignite n : nodes.values())
            res.add(ProcessHubs.hub(n, hubId));
        return res;
    }

    /** Awaitility with the defaults of the suite: 30 s at most, polling every 50 ms. */
    public static ConditionFactory await() {
        return Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50));
    }

    /**
     * What this JVM runs now, for a failure message: the Ignite nodes and their states, and the stacks of the
     * threads whose name starts with one of {@code threadPrefixes} (e.g. a node restart that does not end).
     */
    public static String describeJvm(String... threadPrefixes) {
        StringBuilder sb = new StringBuilder("Ignite nodes in this JVM:");
        for (Ignite n : Ignition.allGrids())
            sb.append(' ').append(n.name()).append('=').append(Ignition.state(n.name()));
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            String name = e.getKey().getName();
            if (Arrays.stream(threadPrefixes).noneMatch(name::startsWith))
                continue;
            sb.append("\nthread ").append(name).append(' ').append(e.getKey().getState());
            for (StackTraceElement f : e.getValue())
                sb.append("\n\tat ").append(f);
        }
        return sb.toString();
    }

    @Override
    public void close() {
        List<String> names = new ArrayList<>(nodes.keySet());
        for (int i = names.size() - 1; i >= 0; i--)
            stop(names.get(i));
    }
}
