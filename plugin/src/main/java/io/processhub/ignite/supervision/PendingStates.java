package io.processhub.ignite.supervision;

import java.util.HashMap;
import java.util.Map;

/**
 * States handed over for children that do not run here yet (the new owner may get the state before its
 * reconciler starts the child). They are kept beside the lifecycles, not in them: a state may be for a child
 * that never starts here, and a cell made for it would show as a local child to every query and pass.
 * Loop only.
 */
final class PendingStates {
    /** How long a state waits for its child. */
    static final long KEEP_MILLIS = 60_000;

    /** A handed-over state and where it came from. */
    static final class Pending {
        final Object state;
        final String from;
        final long receivedAt;

        Pending(Object state, String from, long receivedAt) {
            this.state = state;
            this.from = from;
            this.receivedAt = receivedAt;
        }
    }

    private final Map<String, Pending> states = new HashMap<>();

    void put(String childId, Pending pending) {
        states.put(childId, pending);
    }

    Pending take(String childId) {
        return states.isEmpty() ? null : states.remove(childId);
    }

    /** Drops the states no child claimed in time. */
    void purge(long now) {
        states.values().removeIf(p -> p.receivedAt < now - KEEP_MILLIS);
    }
}
