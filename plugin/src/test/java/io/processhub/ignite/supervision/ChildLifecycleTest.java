package io.processhub.ignite.supervision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/** The table of legal moves, without a supervisor. */
class ChildLifecycleTest {
    private final LongAdder illegal = new LongAdder();

    private ChildLifecycle in(ChildPhase phase) {
        return new ChildLifecycle("c", "hub", phase, illegal);
    }

    @Test
    void aChildLivesThroughStartRunStopDeathAndRetirement() {
        ChildLifecycle l = in(ChildPhase.STARTING);
        assertTrue(l.move(ChildPhase.STARTING, ChildPhase.RUNNING));
        assertTrue(l.move(ChildPhase.RUNNING, ChildPhase.MOVING_OUT));
        assertTrue(l.move(ChildPhase.MOVING_OUT, ChildPhase.STOPPING));
        assertTrue(l.move(ChildPhase.STOPPING, ChildPhase.DEAD));
        assertTrue(l.move(ChildPhase.DEAD, ChildPhase.RETIRED));
        assertEquals(ChildPhase.RETIRED, l.phase());
        assertEquals(0, illegal.sum());
    }

    @Test
    void illegalMovesAreRejectedAndCounted() {
        ChildLifecycle running = in(ChildPhase.RUNNING);
        assertFalse(running.move(ChildPhase.RUNNING, ChildPhase.STARTING), "back to STARTING");
        assertFalse(running.move(ChildPhase.RUNNING, ChildPhase.RETIRED), "retired while it runs");
        ChildLifecycle dead = in(ChildPhase.DEAD);
        assertFalse(dead.move(ChildPhase.DEAD, ChildPhase.RUNNING), "a dead child does not come back: a restart keeps the phase");
        ChildLifecycle retired = in(ChildPhase.RETIRED);
        for (ChildPhase to : ChildPhase.values())
            assertFalse(retired.move(ChildPhase.RETIRED, to), "a tombstone has no moves: " + to);
        assertEquals(3 + ChildPhase.values().length, illegal.sum());
        assertEquals(ChildPhase.RUNNING, running.phase());
        assertEquals(ChildPhase.DEAD, dead.phase());
        assertEquals(ChildPhase.RETIRED, retired.phase());
    }

    @Test
    void aLegalMoveFromAPhaseThatIsNoLongerCurrentChangesNothingAndIsNotCounted() {
        ChildLifecycle l = in(ChildPhase.RUNNING);
        assertTrue(l.move(ChildPhase.RUNNING, ChildPhase.DEAD)); // the mailbox: the child was given up
        assertFalse(l.move(ChildPhase.RUNNING, ChildPhase.STOPPING)); // the loop saw it RUNNING a moment ago
        assertEquals(ChildPhase.DEAD, l.phase());
        assertEquals(0, illegal.sum());
    }
}
