package io.processhub.tests.chaos;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The oracle's judgement from hand-written event logs: no Ignite. */
class OracleTest {
    private static final String ONE = "one";
    private static final String AP = "ap";

    private final Oracle oracle = new Oracle(Set.of(AP), null);

    private static Event ev(long ms, String instance, String hub, String node, Event.Kind kind, String detail) {
        return new Event(ms * 1000, instance, hub, "x", node, 1, kind, detail, 0);
    }

    @Test
    void aChildLiveTwiceIsOneWindowFromTheSecondStartToTheFirstStop() {
        oracle.accept(ev(0, "j1:1", ONE, "j1", Event.Kind.START, "ACTIVE"));
        oracle.accept(ev(100, "t:1", ONE, "a", Event.Kind.START, "ACTIVE"));
        oracle.accept(ev(400, "j1:1", ONE, "j1", Event.Kind.STOP, "SHUTDOWN"));
        List<Oracle.Window> w = oracle.windows(1_000_000);
        assertEquals(1, w.size());
        assertEquals(300_000, w.get(0).micros());
        assertEquals(List.of("x"), List.copyOf(oracle.liveChildren(ONE)));
        assertEquals(Set.of("a#1"), oracle.liveRefs(ONE, "x"));
    }

    @Test
    void theInstancesOfAKilledJvmEndWhenItDiesEvenIfTheirStartIsReadLater() {
        oracle.accept(ev(0, "t:1", ONE, "a", Event.Kind.START, "ACTIVE"));
        oracle.accept(ev(0, "t:1", ONE, "a", Event.Kind.STOP, "MIGRATED"));
        oracle.jvmEnded("j1", 500_000);
        oracle.accept(ev(200, "j1:7", ONE, "j1", Event.Kind.START, "ACTIVE"));
        assertTrue(oracle.live(ONE, "x").isEmpty());
        assertEquals(500_000, oracle.absentSince(ONE, "x"));
        assertTrue(oracle.windows(1_000_000).isEmpty());
    }

    @Test
    void eventsOfAKilledJvmReadAfterItsEndCountOnlyUpToThatEnd() {
        // Seen in a 30-minute run: the ROLE event logged right after the START reopened an ACTIVE span that never closed.
        oracle.accept(ev(0, "t:1", AP, "a", Event.Kind.START, "ACTIVE"));
        oracle.jvmEnded("j1", 500_000);
        oracle.accept(ev(200, "j1:7", AP, "j1", Event.Kind.START, "PASSIVE"));
        oracle.accept(ev(201, "j1:7", AP, "j1", Event.Kind.ROLE, "ACTIVE"));
        List<Oracle.Window> w = oracle.windows(10_000_000);
        assertEquals(1, w.size(), w.toString());
        assertEquals(299_000, w.get(0).micros(), w.toString());
    }

    @Test
    void anOngoingWindowLastsUntilNow() {
        oracle.accept(ev(0, "j1:1", ONE, "j1", Event.Kind.START, "ACTIVE"));
        oracle.accept(ev(100, "t:1", ONE, "a", Event.Kind.START, "ACTIVE"));
        Oracle.Window w = oracle.windows(5_000_000).get(0);
        assertTrue(w.ongoing());
        assertEquals(4_900_000, w.micros());
    }

    @Test
    void twoReplicasAreFineTwoActiveOnesAreAWindow() {
        oracle.accept(ev(0, "t:1", AP, "a", Event.Kind.START, "ACTIVE"));
        oracle.accept(ev(0, "t:2", AP, "b", Event.Kind.START, "PASSIVE"));
        assertTrue(oracle.windows(1_000_000).isEmpty());
        oracle.accept(ev(300, "t:2", AP, "b", Event.Kind.ROLE, "ACTIVE"));
        oracle.accept(ev(350, "t:1", AP, "a", Event.Kind.ROLE, "PASSIVE"));
        List<Oracle.Window> w = oracle.windows(1_000_000);
        assertEquals(1, w.size());
        assertEquals(50_000, w.get(0).micros());
        assertEquals(Set.of("a#1#PASSIVE", "b#1#ACTIVE"), oracle.liveRefs(AP, "x"));
        assertTrue(oracle.settledProblems(AP, Set.of("x"), Set.of(), Set.of("a", "b", "c"), 2).isEmpty());
    }

    @Test
    void settledProblemsNameALostChildAReplicaShortAndAChildTheRunStopped() {
        oracle.accept(ev(0, "t:1", AP, "a", Event.Kind.START, "ACTIVE"));
        List<String> p = oracle.settledProblems(AP, new TreeSet<>(List.of("x", "y")), Set.of(), Set.of("a", "b"), 2);
        assertEquals(2, p.size(), p.toString());
        assertTrue(p.get(0).startsWith("ap/x should run 2 replicas"), p.get(0));
        assertTrue(p.get(1).startsWith("ap/y should run 2 replicas"), p.get(1));
        assertTrue(oracle.settledProblems(AP, Set.of(), Set.of(), Set.of("a", "b"), 2).get(0).contains("was stopped by the run"));
        assertTrue(oracle.settledProblems(AP, Set.of(), Set.of("x"), Set.of("a", "b"), 2).isEmpty(), "an uncertain child is not judged");
    }

    @Test
    void aClockThatGoesBackWithinOneLogIsReported() {
        oracle.accept(ev(100, "t:1", ONE, "a", Event.Kind.START, "ACTIVE"));
        oracle.accept(ev(50, "t:1", ONE, "a", Event.Kind.STOP, "REQUESTED"));
        assertEquals(1, oracle.clockProblems().size());
    }

    @Test
    void checkpointsThatGoBackAreViolationsStatesGivenBelowTheLastCheckpointAreKeptApart() {
        CheckpointNeverGoesBack c = new CheckpointNeverGoesBack();
        c.accept(new Event(10, "t:1", ONE, "x", "a", 1, Event.Kind.CHECKPOINT, "", 5));
        c.accept(new Event(20, "j1:1", ONE, "x", "j1", 1, Event.Kind.START, "ACTIVE", 0));
        c.accept(new Event(21, "j1:1", ONE, "x", "j1", 1, Event.Kind.RESTORE, "", 5));
        c.accept(new Event(30, "j1:1", ONE, "x", "j1", 1, Event.Kind.CHECKPOINT, "", 6));
        assertTrue(c.violations().isEmpty(), c.violations().toString());
        c.accept(new Event(40, "j2:1", ONE, "x", "j2", 1, Event.Kind.START, "ACTIVE", 0));
        c.accept(new Event(41, "j2:1", ONE, "x", "j2", 1, Event.Kind.RESTORE, "", 5));
        c.accept(new Event(50, "j2:1", ONE, "x", "j2", 1, Event.Kind.CHECKPOINT, "", 6));
        c.accept(new Event(60, "j1:2", ONE, "x", "j1", 2, Event.Kind.START, "ACTIVE", 0));
        c.accept(new Event(70, "j1:2", ONE, "x", "j1", 2, Event.Kind.CHECKPOINT, "", 1));
        assertEquals(2, c.violations().size(), c.violations().toString());
        assertEquals(1, c.staleRestores().size(), "j2:1 given 5 after checkpoint 6: kept apart");
        assertEquals(4, c.checkpoints());
    }

    @Test
    void anInstanceClaimingTheStateItRestoredIsNoStepBackButAnEqualCountFromAnOlderStateIs() {
        CheckpointNeverGoesBack c = new CheckpointNeverGoesBack();
        c.accept(new Event(10, "t:1", ONE, "x", "a", 1, Event.Kind.CHECKPOINT, "", 4));
        c.accept(new Event(20, "b:1", ONE, "x", "b", 1, Event.Kind.RESTORE, "", 4));
        c.accept(new Event(21, "b:1", ONE, "x", "b", 1, Event.Kind.CHECKPOINT, "", 4)); // its claim, fencing t:1
        assertTrue(c.violations().isEmpty(), c.violations().toString());
        c.accept(new Event(30, "c:1", ONE, "x", "c", 1, Event.Kind.RESTORE, "", 3));
        c.accept(new Event(31, "c:1", ONE, "x", "c", 1, Event.Kind.CHECKPOINT, "", 4)); // 3 + one inc: the inc to 4 was lost
        assertEquals(1, c.violations().size(), c.violations().toString());
    }
}
