package io.processhub.ignite.supervision;

import io.processhub.ignite.supervision.casts.SequencedCast;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.processhub.ChildError;
import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import io.processhub.MailboxFullException;
import io.processhub.NoSuchChildException;
import io.processhub.ReplicaRole;
import io.processhub.RestartPolicy;
import io.processhub.StopReason;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The supervisor without Ignite: a direct loop, a direct (or held) child pool, a fake clock and fake records. */
class SupervisorTest {
    private SupervisorRig rig;
    private Supervisor sup;

    @BeforeEach
    void setUp() {
        TestChild.reset();
        rig = new SupervisorRig();
        sup = rig.supervisor;
    }

    @AfterEach
    void tearDown() {
        rig.close();
    }

    private static ChildSpec spec(String id) {
        return ChildSpec.of(id, TestChild.class);
    }

    private static ChildSpec spec(String id, RestartPolicy policy) {
        return spec(id).withRestart(policy);
    }

    @Test
    void aStartedChildRunsAndIsRecorded() {
        rig.pool.hold = true;
        CompletableFuture<BatchResult> done = new CompletableFuture<>();
        sup.start(List.of(new StartItem(spec("c1"), 0)), true, done::complete);
        assertEquals(ChildPhase.STARTING, rig.phase("c1"), "before its mailbox ran");
        assertFalse(sup.local("c1").isRegistered());
        rig.pool.drain();

        BatchResult result = done.join();
        assertEquals(1, result.started.size());
        LocalChild c = sup.local("c1");
        assertEquals(ChildPhase.RUNNING, c.phase);
        assertTrue(c.isRegistered());
        assertEquals(1, c.ref.incarnation());
        assertEquals(List.of(spec("c1")), rig.records.registeredSpecs);
        assertEquals(c.ref, rig.records.lastRef());
        assertEquals(1, rig.answer("c1", "inc"));
        assertEquals(1, rig.metrics.childrenStarted.sum());
        assertEquals(0, rig.metrics.illegalTransitions.sum());
    }

    @Test
    void aChildThatFailsToStartLeavesNothingBehind() {
        BatchResult result = rig.start(ChildSpec.of("bad", TestChild.FailsToStart.class), ChildSpec.of("nope", "no.such.Class"));
        assertEquals(List.of(ChildError.Reason.START_FAILED, ChildError.Reason.INVALID_SPEC),
            List.of(result.errors.get(0).reason(), result.errors.get(1).reason()));
        assertNull(sup.local("bad"));
        assertNull(sup.local("nope"));
        assertTrue(rig.records.registeredSpecs.isEmpty());
        assertEquals(2, rig.metrics.childStartFailures.sum());
    }

    @Test
    void aCrashRestartsInPlaceWithinTheIntensityThenTheChildIsGivenUpAndRetired() {
        rig.start(spec("c1"));
        for (int i = 1; i <= 3; i++) {
            CompletionException e = assertThrows(CompletionException.class, () -> rig.answer("c1", "crash"));
            assertInstanceOf(io.processhub.ChildCallException.class, e.getCause());
            LocalChild c = sup.local("c1");
            assertEquals(ChildPhase.RUNNING, c.phase, "a restart keeps the phase");
            assertEquals(i + 1, c.ref.incarnation());
            assertEquals(c.ref, rig.records.lastRef(), "re-registered after the restart");
        }
        assertEquals(3, rig.metrics.childRestarts.sum());

        assertThrows(CompletionException.class, () -> rig.answer("c1", "crash")); // the 4th within the window
        LocalChild c = sup.local("c1");
        assertEquals(ChildPhase.RETIRED, c.phase);
        assertEquals(rig.now.get(), c.retiredAt);
        assertEquals(rig.now.get(), sup.retiredSince("c1"));
        assertEquals(List.of("c1"), rig.records.retired, "its spec is removed: it runs nowhere");
        assertEquals(1, rig.metrics.childrenGivenUp.sum());
        assertEquals(4, rig.metrics.childCrashes.sum());
        assertTrue(sup.localChildren().isEmpty());
        assertTrue(sup.localIds().isEmpty());
        assertThrows(CompletionException.class, () -> rig.answer("c1", "get"));

        BatchResult again = rig.start(spec("c1"));
        assertEquals(ChildError.Reason.START_FAILED, again.errors.get(0).reason(), "refused while the tombstone stands");
        assertTrue(sup.retirementSeen("c1"));
        assertNull(sup.local("c1"));
        assertEquals(1, rig.start(spec("c1")).started.size(), "started again once its removal was seen");
        assertEquals(0, rig.metrics.illegalTransitions.sum());
    }

    @Test
    void crashesSpreadOverMoreThanTheWindowAreAllRestarted() {
        rig.start(spec("c1"));
        for (int i = 0; i < 10; i++) {
            rig.now.addAndGet(400); // 3 restarts per 1000 ms allowed
            assertThrows(CompletionException.class, () -> rig.answer("c1", "crash"));
        }
        assertEquals(ChildPhase.RUNNING, rig.phase("c1"));
        assertEquals(11, sup.local("c1").ref.incarnation());
    }

    @ParameterizedTest
    @EnumSource(RestartPolicy.class)
    void anExitIsHandledByTheRestartPolicy(RestartPolicy policy) {
        rig.start(spec("c1", policy));
        rig.answer("c1", "inc");
        rig.answer("c1", "exit");
        assertEquals(List.of("stop:EXIT"), TestChild.events("c1").subList(1, 2), "the instance is stopped as EXIT");
        LocalChild c = sup.local("c1");
        if (policy == RestartPolicy.PERMANENT) {
            assertEquals(ChildPhase.RUNNING, c.phase);
            assertEquals(2, c.ref.incarnation());
            assertEquals(0, rig.answer("c1", "get"), "a new instance");
            assertTrue(rig.records.retired.isEmpty());
        }
        else {
            assertEquals(ChildPhase.RETIRED, c.phase);
            assertEquals(List.of("c1"), rig.records.retired);
        }
        assertEquals(0, rig.metrics.illegalTransitions.sum());
    }

    @ParameterizedTest
    @EnumSource(RestartPolicy.class)
    void aCrashIsHandledByTheRestartPolicy(RestartPolicy policy) {
        rig.start(spec("c1", policy));
        rig.answer("c1", "fail");
        LocalChild c = sup.local("c1");
        if (policy == RestartPolicy.TEMPORARY) {
            assertEquals(ChildPhase.RETIRED, c.phase);
            assertEquals(List.of("c1"), rig.records.retired);
        }
        else {
            assertEquals(ChildPhase.RUNNING, c.phase);
            assertEquals(2, c.ref.incarnation());
        }
    }

    @Test
    void aStopWithUnregisterLeavesATombstoneAndWithoutItNothing() {
        rig.start(spec("c1"), spec("c2"));
        List<List<String>> stopped = new ArrayList<>();
        sup.stop(List.of("c1"), StopReason.REQUESTED, true, stopped::add);
        sup.stop(List.of("c2", "unknown"), StopReason.SHUTDOWN, false, stopped::add);

        assertEquals(List.of(List.of("c1"), List.of("c2")), stopped);
        assertEquals(List.of("role:ACTIVE", "stop:REQUESTED"), TestChild.events("c1"));
        assertEquals(List.of("role:ACTIVE", "stop:SHUTDOWN"), TestChild.events("c2"));
        assertEquals(ChildPhase.RETIRED, rig.phase("c1"));
        assertEquals(List.of("c1"), rig.records.retired);
        assertNull(sup.local("c2"));
        assertEquals(List.of("c2"), rig.records.unregistered);
        assertEquals(2, rig.metrics.childrenStopped.sum());
        CompletionException e = assertThrows(CompletionException.class, () -> rig.answer("c2", "get"));
        assertInstanceOf(NoSuchChildException.class, e.getCause());
    }

    @Test
    void aStopRequestedWhileStartingLetsTheStartAnswerThenStops() {
        rig.pool.hold = true;
        CompletableFuture<BatchResult> started = new CompletableFuture<>();
        sup.start(List.of(new StartItem(spec("c1"), 0)), true, started::complete);
        CompletableFuture<List<String>> stopped = new CompletableFuture<>();
        sup.stop(List.of("c1"), StopReason.REQUESTED, false, stopped::complete);
        assertEquals(ChildPhase.STOPPING, rig.phase("c1"));
        rig.pool.drain();

        assertEquals(1, started.join().started.size(), "the start request still gets its ref");
        assertEquals(List.of("c1"), stopped.join());
        assertNull(sup.local("c1"));
        assertTrue(rig.records.registeredSpecs.isEmpty(), "stopped before it was registered: nothing to register");
        assertEquals(0, rig.metrics.illegalTransitions.sum());
    }

    @Test
    void aMovedChildGoesOnWithItsSendersCastsWhereItsPreviousInstanceStopped() {
        UUID sender = new UUID(0, 7);
        rig.start(spec("c1"));
        assertEquals(1, rig.answer("c1", new SequencedCast(sender, 1, 1, 1, "inc")));
        assertNull(rig.answer("c1", new SequencedCast(sender, 1, 3, 1, "inc")), "early: held until 2 comes");
        assertEquals(1, rig.answer("c1", "get"));
        Object state = sup.snapshotAndStop("c1", true).join();
        try (SupervisorRig next = new SupervisorRig()) {
            next.start(spec("c1"));
            next.supervisor.restore("c1", state, "node-a");
            next.pool.drain();
            assertEquals(1, next.answer("c1", "get"), "the state came");
            next.answer("c1", new SequencedCast(sender, 1, 1, 1, "inc")); // sent again: handled before the move
            next.answer("c1", new SequencedCast(sender, 1, 2, 1, "inc")); // then the held 3
            assertEquals(3, next.answer("c1", "get"));
            assertEquals(1, next.metrics.castsDuplicate.sum());
        }
    }

    @Test
    void aChildMovesOutWithASnapshotOfItsState() {
        rig.start(spec("c1"));
        for (int i = 0; i < 3; i++)
            rig.answer("c1", "inc");
        rig.pool.hold = true;
        CompletableFuture<Object> state = sup.snapshotAndStop("c1", true);
        assertEquals(ChildPhase.MOVING_OUT, rig.phase("c1"), "moving out until its mailbox takes the snapshot");
        CompletableFuture<Object> late = rig.call("c1", "inc"); // queued after the snapshot: not handled
        rig.pool.drain();

        assertEquals(3, ((HandedState)state.join()).state);
        assertInstanceOf(NoSuchChildException.class, assertThrows(CompletionException.class, late::join).getCause());
        assertEquals(ChildPhase.DEAD, rig.phase("c1"));
        assertEquals("stop:MIGRATED", TestChild.events("c1").get(1));
        assertEquals(1, rig.metrics.childrenMovedOut.sum());
        sup.forgetMoved("c1");
        assertNull(sup.local("c1"));
        assertEquals(List.of("c1"), rig.records.unregistered);
        assertEquals(0, rig.metrics.illegalTransitions.sum());
    }

    @Test
    void aStopAsMigratedMovesTheChildOut() {
        rig.start(spec("c1"));
        rig.pool.hold = true;
        sup.stop(List.of("c1"), StopReason.MIGRATED, false, ids -> { });
        assertEquals(ChildPhase.MOVING_OUT, rig.phase("c1"));
        rig.pool.drain();
        assertNull(sup.local("c1"));
    }

    @Test
    void aHandedOverStateIsRestoredWhetherItArrivesBeforeOrAfterTheStart() {
        sup.restore("early", 41, "node-b");
        assertNull(sup.local("early"), "a waiting state is no child");
        rig.start(spec("early"));
        assertEquals(41, rig.answer("early", "get"));

        rig.start(spec("late"));
        rig.answer("late", "inc");
        sup.restore("late", 7, "node-b");
        assertEquals(7, rig.answer("late", "get"));
        assertEquals(2, rig.metrics.handoversIn.sum());
    }

    @Test
    void aHandedOverStateNoChildClaimsIsDroppedAfterAMinute() {
        sup.restore("c1", 41, "node-b");
        rig.now.addAndGet(PendingStates.KEEP_MILLIS + 1);
        sup.purgePendingStates();
        rig.start(spec("c1"));
        assertEquals(0, rig.answer("c1", "get"));
    }

    @Test
    void retiringAChildThatRunsIsAnIllegalMoveRejectedAndCounted() {
        rig.start(spec("c1"));
        sup.markRetired("c1");
        assertEquals(1, rig.metrics.illegalTransitions.sum());
        assertEquals(ChildPhase.RUNNING, rig.phase("c1"));
        assertEquals(1, rig.answer("c1", "inc"), "it still runs");
        assertNull(sup.retiredSince("c1"));

        sup.markRetired("gone"); // not here: a tombstone
        assertEquals(ChildPhase.RETIRED, rig.phase("gone"));
        assertFalse(sup.localIds().contains("gone"));
        assertEquals(1, rig.metrics.illegalTransitions.sum());
    }

    @Test
    void aRoleChangeTellsTheChildAndReRegistersIt() {
        rig.placement.role = ReplicaRole.PASSIVE;
        rig.start(spec("c1"));
        assertEquals(ReplicaRole.PASSIVE, sup.local("c1").role);
        sup.changeRole("c1", ReplicaRole.ACTIVE);

        LocalChild c = sup.local("c1");
        assertEquals(ReplicaRole.ACTIVE, c.role);
        assertEquals(ReplicaRole.ACTIVE, c.ref.role());
        assertEquals(1, c.ref.incarnation(), "the same instance");
        assertEquals(c.ref, rig.records.lastRef());
        assertEquals(List.of("role:PASSIVE", "role:ACTIVE"), TestChild.events("c1"));
        assertEquals(List.of("c1"), sup.activeStatefulIds());
    }

    /** Defect a: the context compared the cell's ref with its own, and a role change replaces the ref. */
    @Test
    void afterARoleChangeSelfShowsTheNewRole() {
        rig.placement.role = ReplicaRole.PASSIVE;
        rig.start(spec("c1"));
        sup.changeRole("c1", ReplicaRole.ACTIVE);

        ChildRef self = (ChildRef)rig.answer("c1", "self");
        assertEquals(ReplicaRole.ACTIVE, self.role());
        assertEquals(ReplicaRole.ACTIVE, TestChild.context("c1", 1).role());
    }

    @Test
    void afterARoleChangeExitStopsTheChild() {
        rig.placement.role = ReplicaRole.PASSIVE;
        rig.start(spec("c1", RestartPolicy.TRANSIENT));
        sup.changeRole("c1", ReplicaRole.ACTIVE);
        rig.answer("c1", "exit");
        assertEquals(ChildPhase.RETIRED, rig.phase("c1"));
        assertEquals(List.of("c1"), rig.records.retired);
    }

    @Test
    void afterARoleChangeFailRestartsTheChild() {
        rig.placement.role = ReplicaRole.PASSIVE;
        rig.start(spec("c1"));
        sup.changeRole("c1", ReplicaRole.ACTIVE);
        rig.answer("c1", "fail");
        LocalChild c = sup.local("c1");
        assertEquals(2, c.ref.incarnation());
        assertEquals(ReplicaRole.ACTIVE, c.ref.role(), "restarted with the role it had");
    }

    @Test
    void aStaleIncarnationCannotExitOrFailTheCurrentOne() {
        rig.start(spec("c1"));
        rig.answer("c1", "fail");
        assertEquals(2, sup.local("c1").ref.incarnation());
        TestChild.context("c1", 1).exit();
        TestChild.context("c1", 1).fail(new IllegalStateException("late"));
        LocalChild c = sup.local("c1");
        assertEquals(ChildPhase.RUNNING, c.phase);
        assertEquals(2, c.ref.incarnation());
        assertEquals(1, TestChild.context("c1", 1).self().incarnation(), "an old context keeps its own ref");
    }

    @Test
    void aFullMailboxRefusesMessagesAtOnceButNotTheSupervisorsOwnTasks() {
        try (SupervisorRig small = new SupervisorRig(3, 1_000, 2)) {
            small.start(spec("c1"));
            small.pool.hold = true;
            CompletableFuture<Object> first = small.call("c1", "inc");
            CompletableFuture<Object> second = small.call("c1", "inc");
            CompletableFuture<Object> third = small.call("c1", "inc");
            assertTrue(third.isCompletedExceptionally(), "refused at once, nothing waits");
            assertInstanceOf(MailboxFullException.class, assertThrows(CompletionException.class, third::join).getCause());
            small.supervisor.deliver("c1", "inc", new CompletableFuture<>()); // a cast is refused too, and counted
            assertEquals(2, small.metrics.mailboxRejections.sum());

            small.supervisor.changeRole("c1", ReplicaRole.PASSIVE);
            CompletableFuture<List<String>> stopped = new CompletableFuture<>();
            small.supervisor.stop(List.of("c1"), StopReason.REQUESTED, false, stopped::complete);
            small.pool.drain();
            assertEquals(1, first.join());
            assertEquals(2, second.join());
            assertEquals(List.of("role:ACTIVE", "role:PASSIVE", "stop:REQUESTED"), TestChild.events("c1"));
            assertEquals(List.of("c1"), stopped.join());
        }
    }

    @Test
    void stopAllStopsEveryChildButKeepsTombstones() {
        rig.start(spec("c1"), spec("c2"));
        sup.markRetired("old");
        sup.stopAll(StopReason.PARTITIONED);
        assertNull(sup.local("c1"));
        assertNull(sup.local("c2"));
        assertEquals(ChildPhase.RETIRED, rig.phase("old"));
        assertEquals(List.of("role:ACTIVE", "stop:PARTITIONED"), TestChild.events("c1"));
        assertTrue(rig.records.unregistered.isEmpty(), "the records are left alone");
        assertEquals(2, rig.metrics.childrenStopped.sum());
    }
}
