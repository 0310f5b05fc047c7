package io.processhub.tests.chaos;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checkpointed state never goes backwards (issue 12, point 1): per child, each acknowledged checkpoint holds a higher
 * count than the one before (a chaos child counts up by one per {@code "inc"}), whichever instance wrote it. An
 * instance that goes on from a state below the last checkpoint (restored from an older copy, handed an older state, or
 * started from nothing) shows up at its first acknowledged checkpoint. A state given to an instance (RESTORE) below
 * the last acknowledged checkpoint is kept apart, not a violation by itself: an instance started on the side of a
 * network cut that is about to lose quorum restores the copy of the checkpoint that side holds, and is stopped before
 * it checkpoints. Fed with every event in each JVM's order; events of different JVMs interleave by time only roughly,
 * which is why they are compared by timestamp.
 */
final class CheckpointNeverGoesBack {
    private final Map<String, long[]> lastCheckpoint = new HashMap<>();
    private final List<String> violations = new ArrayList<>();
    private final List<String> staleRestores = new ArrayList<>();
    private long checkpoints;

    synchronized void accept(Event e) {
        String key = e.hub() + "/" + e.child();
        long[] last = lastCheckpoint.get(key);
        if (e.kind() == Event.Kind.CHECKPOINT) {
            checkpoints++;
            if (last != null && e.micros() > last[0] && e.value() <= last[1])
                violations.add(key + ": checkpoint " + e.value() + " at " + e.micros() + " by " + e.instance() + " on " + e.node()
                    + " after checkpoint " + last[1] + " at " + last[0]);
            if (last == null || e.micros() > last[0])
                lastCheckpoint.put(key, new long[] {e.micros(), e.value()});
        }
        else if (given(e) && last != null && last[0] < e.micros() && e.value() < last[1])
            staleRestores.add(key + ": " + e.instance() + " on " + e.node() + " was given state " + e.value() + " at " + e.micros()
                + ", after checkpoint " + last[1] + " at " + last[0]);
    }

    /** A state given to an instance: a restore, or a start from a state handed over before it. */
    private static boolean given(Event e) {
        return e.kind() == Event.Kind.RESTORE || (e.kind() == Event.Kind.START && e.value() > 0);
    }

    synchronized List<String> violations() {
        return new ArrayList<>(violations);
    }

    /** States given below the last acknowledged checkpoint (see above). */
    synchronized List<String> staleRestores() {
        return new ArrayList<>(staleRestores);
    }

    synchronized long checkpoints() {
        return checkpoints;
    }
}
