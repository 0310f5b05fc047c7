package io.processhub.tests;

import io.processhub.tests.children.RoleTimelineChild;
import io.processhub.tests.children.RoleTimelineChild.Event;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * How the active replicas of {@link RoleTimelineChild} children moved across a membership change, read from the
 * children's own records: taken before the change ({@link #before}), judged after it ({@link #after}). A moved child
 * is a violation if two of its replicas were active at once, or if the old active one was demoted before the new
 * replica ran; otherwise its no-active gap is the time between the old one's demotion and the new one's promotion.
 */
public final class ActiveMoves {
    /** What the moves came to: the violations found, and the no-active gap of every other moved child (µs, sorted). */
    public static final class Outcome {
        public final List<String> violations = new ArrayList<>();
        public final List<Long> gapsMicros = new ArrayList<>();

        public long medianGapMicros() {
            return gapsMicros.isEmpty() ? -1 : gapsMicros.get(gapsMicros.size() / 2);
        }

        public long maxGapMicros() {
            return gapsMicros.isEmpty() ? -1 : gapsMicros.get(gapsMicros.size() - 1);
        }
    }

    private final List<String> ids;
    /** Per child, the node of its active replica before the change. */
    private final Map<String, String> activeBefore = new HashMap<>();
    /** Per child, how many events it had recorded before the change: the change's events come after. */
    private final Map<String, Integer> firstNew = new HashMap<>();

    private ActiveMoves(List<String> ids) {
        this.ids = ids;
    }

    /** Notes, for each child, where its active replica runs ({@code activeNode}) and how far its records go. */
    public static ActiveMoves before(List<String> ids, Function<String, String> activeNode) {
        ActiveMoves moves = new ActiveMoves(ids);
        for (String id : ids) {
            moves.activeBefore.put(id, activeNode.apply(id));
            moves.firstNew.put(id, RoleTimelineChild.EVENTS.get(id).size());
        }
        return moves;
    }

    /** Judges the children whose active replica is now ({@code activeNode}) elsewhere than before. */
    public Outcome after(Function<String, String> activeNode) {
        Outcome out = new Outcome();
        for (String id : ids) {
            String old = activeBefore.get(id);
            String now = activeNode.apply(id);
            if (now.equals(old))
                continue;
            List<Event> events;
            List<Event> all = RoleTimelineChild.EVENTS.get(id);
            synchronized (all) {
                events = new ArrayList<>(all.subList(firstNew.get(id), all.size()));
            }
            Long newStarted = null;
            Long oldDemoted = null;
            Long newActive = null;
            for (int i = 0; i < events.size(); i++) {
                Event e = events.get(i);
                String before = activeAt(events, i, old);
                if (e.what.equals("ACTIVE") && before != null && !before.equals(e.node))
                    out.violations.add(id + ": two active replicas at once: " + events);
                if (e.node.equals(now) && e.what.equals("STARTED") && newStarted == null)
                    newStarted = e.nanos;
                if (e.node.equals(old) && !e.what.equals("ACTIVE") && !e.what.equals("STARTED") && oldDemoted == null)
                    oldDemoted = e.nanos;
                if (e.node.equals(now) && e.what.equals("ACTIVE") && newActive == null)
                    newActive = e.nanos;
            }
            if (newStarted == null || oldDemoted == null || newActive == null)
                out.violations.add(id + ": incomplete move: " + events);
            else if (oldDemoted < newStarted)
                out.violations.add(id + ": the old active was demoted before the new replica ran: " + events);
            else
                out.gapsMicros.add((newActive - oldDemoted) / 1_000);
        }
        out.gapsMicros.sort(null);
        return out;
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
}
