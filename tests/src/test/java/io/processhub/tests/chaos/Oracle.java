package io.processhub.tests.chaos;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What really ran, from the children's own event logs and the JVM deaths the run observed: never from the registry.
 * Pure logic (no Ignite), fed by {@link EventLogReader} and {@link ChaosRun}. An instance is live from its START to its
 * STOP or the end of its JVM (a {@code kill -9}, or the JVM exiting after its node stopped); a paused (SIGSTOP) JVM's
 * instances stay live, since they resume.
 */
final class Oracle {
    /** One instance's life; {@code end} is {@link Long#MAX_VALUE} while it is live. */
    static final class Instance {
        final Event start;
        final List<long[]> activeSpans = new ArrayList<>();
        long end = Long.MAX_VALUE;
        String endedBy;
        String role;
        private long activeSince;

        Instance(Event start) {
            this.start = start;
            role = start.detail();
            activeSince = "ACTIVE".equals(role) ? start.micros() : -1;
        }

        boolean live() {
            return end == Long.MAX_VALUE;
        }

        void role(String newRole, long at) {
            if (!live()) {
                roleAfterEnd(newRole, at);
                return;
            }
            if ("ACTIVE".equals(newRole) && activeSince < 0)
                activeSince = at;
            else if (!"ACTIVE".equals(newRole) && activeSince >= 0) {
                activeSpans.add(new long[] {activeSince, at});
                activeSince = -1;
            }
            role = newRole;
        }

        /**
         * A role change read after the instance ended: its JVM's end was seen before its log was read up to there.
         * It counts up to the end only (the spans are closed, the last one ends at {@code end} if it was ACTIVE then).
         */
        private void roleAfterEnd(String newRole, long at) {
            if (at >= end)
                return;
            long[] last = activeSpans.isEmpty() ? null : activeSpans.get(activeSpans.size() - 1);
            boolean activeAtEnd = last != null && last[1] == end;
            if ("ACTIVE".equals(newRole) && !activeAtEnd)
                activeSpans.add(new long[] {at, end});
            else if (!"ACTIVE".equals(newRole) && activeAtEnd)
                last[1] = Math.max(last[0], at);
            role = newRole;
        }

        void end(long at, String by) {
            if (!live())
                return;
            role(null, at);
            end = at;
            endedBy = by;
        }

        /** Spans in which the instance was ACTIVE, an ongoing one up to {@code now}. */
        List<long[]> activeSpans(long now) {
            List<long[]> res = new ArrayList<>(activeSpans);
            if (activeSince >= 0)
                res.add(new long[] {activeSince, now});
            return res;
        }

        String describe() {
            return start.instance() + " on " + start.node() + " (incarnation " + start.incarnation() + ", started "
                + start.micros() + (live() ? ", live" : ", ended " + end + " by " + endedBy) + ")";
        }
    }

    /** A time in which a child had two live instances (or, in a replicated hub, two ACTIVE replicas). */
    record Window(String hub, String child, long from, long to, boolean ongoing, String what, List<String> instances) {
        long micros() {
            return to - from;
        }

        String describe() {
            return hub + "/" + child + ": " + what + " for " + micros() / 1000 + " ms from " + from + (ongoing ? " (ongoing)" : "")
                + ": " + instances;
        }
    }

    private final Set<String> replicatedHubs;
    private final Map<String, Instance> instances = new HashMap<>();
    private final Map<String, List<Instance>> byChild = new HashMap<>();
    private final Map<String, Long> jvmEnds = new HashMap<>();
    private final Map<String, Long> lastMicrosPerJvm = new HashMap<>();
    private final List<String> clockProblems = new ArrayList<>();
    private final CheckpointNeverGoesBack checkpoints;
    private long events;

    Oracle(Set<String> replicatedHubs, CheckpointNeverGoesBack checkpoints) {
        this.replicatedHubs = replicatedHubs;
        this.checkpoints = checkpoints;
    }

    private static String key(String hub, String child) {
        return hub + "/" + child;
    }

    synchronized void accept(Event e) {
        events++;
        Long last = lastMicrosPerJvm.put(e.jvm(), e.micros());
        if (last != null && e.micros() < last)
            clockProblems.add("clock went back by " + (last - e.micros()) + " us in the log of " + e.jvm() + " at " + e.toLine());
        if (checkpoints != null)
            checkpoints.accept(e);
        switch (e.kind()) {
            case START: {
                Instance i = new Instance(e);
                instances.put(e.instance(), i);
                byChild.computeIfAbsent(key(e.hub(), e.child()), k -> new ArrayList<>()).add(i);
                Long jvmEnd = jvmEnds.get(e.jvm());
                if (jvmEnd != null)
                    i.end(Math.max(jvmEnd, e.micros()), "end of its JVM");
                break;
            }
            case ROLE:
                instance(e).role(e.detail(), e.micros());
                break;
            case STOP:
                instance(e).end(e.micros(), "stop " + e.detail());
                break;
            default:
                break;
        }
    }

    private Instance instance(Event e) {
        Instance i = instances.get(e.instance());
        if (i == null)
            throw new IllegalStateException("event of an instance that never started: " + e.toLine());
        return i;
    }

    /** The JVM {@code jvm} is gone since {@code micros}: its instances still live end there. */
    synchronized void jvmEnded(String jvm, long micros) {
        jvmEnds.putIfAbsent(jvm, micros);
        for (Instance i : instances.values())
            if (i.live() && i.start.jvm().equals(jvm))
                i.end(Math.max(micros, i.start.micros()), "end of its JVM");
    }

    synchronized long events() {
        return events;
    }

    synchronized List<String> clockProblems() {
        return new ArrayList<>(clockProblems);
    }

    synchronized List<Instance> live(String hub, String child) {
        List<Instance> res = new ArrayList<>();
        for (Instance i : byChild.getOrDefault(key(hub, child), List.of()))
            if (i.live())
                res.add(i);
        return res;
    }

    /** The end of the child's last instance, or -1 if an instance is live or none ever ran. */
    synchronized long absentSince(String hub, String child) {
        long last = -1;
        for (Instance i : byChild.getOrDefault(key(hub, child), List.of())) {
            if (i.live())
                return -1;
            last = Math.max(last, i.end);
        }
        return last;
    }

    /** Children of {@code hub} with a live instance. */
    synchronized Set<String> liveChildren(String hub) {
        Set<String> res = new TreeSet<>();
        for (List<Instance> l : byChild.values())
            for (Instance i : l)
                if (i.live() && i.start.hub().equals(hub))
                    res.add(i.start.child());
        return res;
    }

    /**
     * Every window in which a child was live twice (a replicated hub: had two ACTIVE replicas), up to {@code now}.
     */
    synchronized List<Window> windows(long now) {
        List<Window> res = new ArrayList<>();
        for (List<Instance> l : byChild.values()) {
            if (l.size() < 2)
                continue;
            String hub = l.get(0).start.hub();
            boolean replicated = replicatedHubs.contains(hub);
            TreeMap<Long, Integer> delta = new TreeMap<>();
            Map<long[], Instance> spans = new LinkedHashMap<>();
            for (Instance i : l) {
                List<long[]> own = replicated ? i.activeSpans(now) : List.of(new long[] {i.start.micros(), i.live() ? now : i.end});
                for (long[] s : own) {
                    if (s[1] <= s[0])
                        continue;
                    delta.merge(s[0], 1, Integer::sum);
                    delta.merge(s[1], -1, Integer::sum);
                    spans.put(s, i);
                }
            }
            int level = 0;
            long from = -1;
            for (Map.Entry<Long, Integer> d : delta.entrySet()) {
                int next = level + d.getValue();
                if (level < 2 && next >= 2)
                    from = d.getKey();
                else if (level >= 2 && next < 2)
                    res.add(window(hub, l.get(0).start.child(), from, d.getKey(), d.getKey() >= now, replicated, spans));
                level = next;
            }
        }
        return res;
    }

    private static Window window(String hub, String child, long from, long to, boolean ongoing, boolean replicated,
        Map<long[], Instance> spans) {
        List<String> involved = new ArrayList<>();
        for (Map.Entry<long[], Instance> s : spans.entrySet())
            if (s.getKey()[0] < to && s.getKey()[1] > from)
                involved.add(s.getValue().describe());
        return new Window(hub, child, from, to, ongoing, replicated ? "two ACTIVE replicas" : "live twice", involved);
    }

    /**
     * What is wrong once the run has settled: an expected child of a singleton hub is not live exactly once on a live
     * node, an expected child of a replicated hub has not {@code min(copies, nodes)} replicas on distinct live nodes
     * with exactly one ACTIVE, a child the run stopped (or never started) is live.
     */
    synchronized List<String> settledProblems(String hub, Collection<String> expected, Set<String> uncertain, Set<String> liveNodes,
        int copies) {
        List<String> problems = new ArrayList<>();
        boolean replicated = replicatedHubs.contains(hub);
        int want = replicated ? Math.min(copies, liveNodes.size()) : 1;
        for (String child : expected) {
            List<Instance> live = live(hub, child);
            Set<String> nodes = new TreeSet<>();
            long active = 0;
            for (Instance i : live) {
                nodes.add(i.start.node());
                if ("ACTIVE".equals(i.role))
                    active++;
            }
            if (live.size() != want || nodes.size() != want || !liveNodes.containsAll(nodes) || (replicated && active != 1))
                problems.add(hub + "/" + child + " should run " + want + (replicated ? " replicas (one ACTIVE)" : " instance")
                    + " on live nodes " + liveNodes + ", runs: " + describe(live));
        }
        for (String child : liveChildren(hub))
            if (!expected.contains(child) && !uncertain.contains(child))
                problems.add(hub + "/" + child + " was stopped by the run (or never started) but runs: " + describe(live(hub, child)));
        return problems;
    }

    /** The live instances of a child as the registry names them: "node#incarnation" (with the role in a replicated hub). */
    synchronized Set<String> liveRefs(String hub, String child) {
        Set<String> res = new TreeSet<>();
        for (Instance i : live(hub, child))
            res.add(i.start.node() + "#" + i.start.incarnation() + (replicatedHubs.contains(hub) ? "#" + i.role : ""));
        return res;
    }

    private static List<String> describe(List<Instance> l) {
        List<String> res = new ArrayList<>();
        for (Instance i : l)
            res.add(i.describe() + " role " + i.role);
        return res;
    }
}
