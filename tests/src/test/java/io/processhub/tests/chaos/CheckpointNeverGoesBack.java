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
 * it checkpoints. The one equal checkpoint allowed is an instance's claim of the very state it restored (a restored
 * instance claims the child at once by storing that state again, which fences older instances). Fed with every event in each JVM's order; events of different JVMs interleave by time only roughly,
 * which is why they are compared by timestamp.
 */
final class CheckpointNeverGoesBack {
    private final Map<String, long[]> lastCheckpoint = new HashMap<>();
    /** The state each instance restored, by instance. */
    private final Map<String, Long> restored = new HashMap<>();
    private final List<String> violations = new ArrayList<>();
    private final List<String> staleRestores = new ArrayList<>();
    private long checkpoints;

    synchronized void accept(Event e) {
        String key = e.hub() + "/" + e.child();
        long[] last = lastCheckpoint.get(key);
        if (e.kind() == Event.Kind.RESTORE)
            restored.put(e.instance(), e.value());
        if (e.kind() == Event.Kind.CHECKPOINT) {
            checkpoints++;
            boolean claimOfRestored = last != null && e.value() == last[1] && Long.valueOf(e.value()).equals(restored.get(e.instance()));
            if (last != null && e.micros() > last[0] && e.value() <= last[1] && !claimOfRestored)
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
