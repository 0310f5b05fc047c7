package io.processhub.tests;

import io.processhub.ChildInfo;
import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import io.processhub.HubConfiguration;
import io.processhub.ProcessHub;
import io.processhub.ReplicaRole;
import io.processhub.Scope;
import io.processhub.strategy.Placement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Assertions about a hub's state across nodes, shared by the topology and failover tests. Each assertion
 * throws with a message that says what is wrong, so it can be used inside {@code untilAsserted}.
 */
final class HubState {
    private HubState() {
    }

    static List<ChildSpec> counters(String prefix, int n) {
        return IntStream.range(0, n)
            .mapToObj(i -> ChildSpec.of(String.format("%s-%04d", prefix, i), io.processhub.examples.CounterChild.class))
            .collect(Collectors.toList());
    }

    static Set<String> ids(Collection<ChildSpec> specs) {
        return specs.stream().map(ChildSpec::id).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The owner of each child under the hub's default placement over {@code members}. */
    static Map<String, String> expectedOwners(Collection<String> ids, List<String> members) {
        List<String> sorted = new ArrayList<>(members);
        sorted.sort(null);
        Placement p = new HubConfiguration("any").getDistributionStrategy().placement(sorted);
        Map<String, String> res = new TreeMap<>();
        for (String id : ids)
            res.put(id, p.owner(id));
        return res;
    }

    /**
     * Asserts that the registry copy of every given node lists exactly {@code ids}, each child with exactly
     * one replica (ACTIVE), and that all copies are identical; returns the agreed child → ref map.
     */
    static Map<String, ChildRef> assertRegistryAgrees(Map<String, ProcessHub> hubsByNode, Set<String> ids) {
        Map<String, Map<String, List<ChildRef>>> registries = new TreeMap<>();
        hubsByNode.forEach((node, hub) -> {
            registries.put(node, registryOf(hub));
            for (String id : ids)
                assertEquals(hub.lookup(id).flatMap(ChildInfo::activeRef), hub.activeRef(id), "activeRef of " + id + " on " + node);
        });
        return assertRegistriesAgree(registries, ids);
    }

    /** One node's registry copy: child id → replicas (children with a spec only). */
    static Map<String, List<ChildRef>> registryOf(ProcessHub hub) {
        Map<String, List<ChildRef>> res = new TreeMap<>();
        for (ChildInfo info : hub.children())
            res.put(info.id(), new ArrayList<>(info.refs()));
        return res;
    }

    /** {@link #assertRegistryAgrees} on registry copies taken elsewhere (e.g. in other JVMs). */
    static Map<String, ChildRef> assertRegistriesAgree(Map<String, Map<String, List<ChildRef>>> registries, Set<String> ids) {
        Map<String, ChildRef> agreed = null;
        String agreedOn = null;
        for (Map.Entry<String, Map<String, List<ChildRef>>> e : registries.entrySet()) {
            Map<String, ChildRef> view = new TreeMap<>();
            for (Map.Entry<String, List<ChildRef>> child : e.getValue().entrySet()) {
                if (!ids.contains(child.getKey()))
                    continue;
                List<ChildRef> refs = child.getValue();
                if (refs.size() != 1)
                    fail("registry on " + e.getKey() + ": child " + child.getKey() + " has " + refs.size() + " replicas: " + refs);
                ChildRef r = refs.get(0);
                assertEquals(ReplicaRole.ACTIVE, r.role(), "registry on " + e.getKey() + ": role of " + r);
                view.put(child.getKey(), r);
            }
            if (view.size() != ids.size()) {
                Set<String> missing = new TreeSet<>(ids);
                missing.removeAll(view.keySet());
                fail("registry on " + e.getKey() + " lists " + view.size() + " of " + ids.size()
                    + " children; missing e.g. " + sample(missing));
            }
            if (agreed == null) {
                agreed = view;
                agreedOn = e.getKey();
            }
            else if (!agreed.equals(view))
                fail("registries of " + agreedOn + " and " + e.getKey() + " differ, e.g. " + firstDifference(agreed, view));
        }
        return agreed;
    }

    /**
     * Asserts that the children running on the given nodes (their local lists) are exactly {@code ids}, each
     * on one node; returns child → ref of the running instance.
     */
    static Map<String, ChildRef> assertRunningOnce(Map<String, List<ChildRef>> localByNode, Set<String> ids) {
        Map<String, ChildRef> running = new TreeMap<>();
        int total = 0;
        for (Map.Entry<String, List<ChildRef>> e : localByNode.entrySet()) {
            for (ChildRef r : e.getValue()) {
                if (!ids.contains(r.childId()))
                    continue;
                total++;
                assertEquals(e.getKey(), r.node(), "a local child names another node: " + r);
                ChildRef other = running.put(r.childId(), r);
                if (other != null)
                    fail("child " + r.childId() + " runs twice: " + other + " and " + r);
            }
        }
        if (running.size() != ids.size()) {
            Set<String> missing = new TreeSet<>(ids);
            missing.removeAll(running.keySet());
            fail(running.size() + " of " + ids.size() + " children run; missing e.g. " + sample(missing));
        }
        assertEquals(ids.size(), total, "running instances");
        return running;
    }

    /** Local children of each node (all in this JVM). */
    static Map<String, List<ChildRef>> localChildren(Map<String, ProcessHub> hubsByNode) {
        Map<String, List<ChildRef>> res = new TreeMap<>();
        hubsByNode.forEach((node, hub) -> res.put(node, hub.whichChildren(Scope.LOCAL)));
        return res;
    }

    /** Asserts each child runs where {@code owners} says. */
    static void assertPlacement(Map<String, ChildRef> refs, Map<String, String> owners) {
        for (Map.Entry<String, String> e : owners.entrySet()) {
            ChildRef r = refs.get(e.getKey());
            if (r == null || !r.node().equals(e.getValue()))
                fail("child " + e.getKey() + " should run on " + e.getValue() + " but runs as " + r);
        }
    }

    /** Sends {@code message} to every child and returns the answers. */
    static Map<String, Object> callAll(ProcessHub hub, Collection<String> ids, Object message) throws Exception {
        Map<String, CompletableFuture<Object>> futures = new HashMap<>();
        for (String id : ids)
            futures.put(id, hub.call(id, message, Duration.ofSeconds(20)));
        CompletableFuture.allOf(futures.values().toArray(new CompletableFuture[0])).get();
        Map<String, Object> res = new TreeMap<>();
        futures.forEach((id, f) -> res.put(id, f.join()));
        return res;
    }

    static <T> void assertAllEqual(Map<String, T> values, Collection<String> ids, T expected, String what) {
        List<String> wrong = new ArrayList<>();
        for (String id : ids)
            if (!expected.equals(values.get(id)))
                wrong.add(id + "=" + values.get(id));
        assertTrue(wrong.isEmpty(), what + ": expected " + expected + " but " + wrong.size() + " differ, e.g. " + sample(wrong));
    }

    static String sample(Collection<String> items) {
        return items.stream().limit(5).collect(Collectors.joining(", ", "[", items.size() > 5 ? ", ...]" : "]"));
    }

    private static String firstDifference(Map<String, ChildRef> a, Map<String, ChildRef> b) {
        for (Map.Entry<String, ChildRef> e : a.entrySet())
            if (!e.getValue().equals(b.get(e.getKey())))
                return e.getKey() + ": " + e.getValue() + " vs " + b.get(e.getKey());
        return "(keys differ)";
    }
}
