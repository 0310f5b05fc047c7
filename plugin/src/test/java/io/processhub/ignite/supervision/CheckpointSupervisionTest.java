package io.processhub.ignite.supervision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.processhub.ChildContext;
import io.processhub.ChildSpec;
import io.processhub.ReplicaRole;
import io.processhub.StopReason;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The supervisor's side of checkpoints, without Ignite: restores at start, claims and versions, deletes. */
class CheckpointSupervisionTest extends CheckpointRigTest {
    private Supervisor sup;

    @BeforeEach
    void setUp() {
        sup = rig.supervisor;
    }

    private CompletableFuture<BatchResult> start(String id) {
        CompletableFuture<BatchResult> done = new CompletableFuture<>();
        sup.start(List.of(new StartItem(ChildSpec.of(id, TestChild.class), 0)), true, done::complete);
        return done;
    }

    private BatchResult started(String id) {
        CompletableFuture<BatchResult> done = start(id);
        store.answerRead(Map.of());
        return done.join();
    }

    @Test
    void anActiveChildIsRegisteredOnlyOnceItsCheckpointIsRestored() {
        CompletableFuture<BatchResult> done = start("c1");
        assertEquals(List.of(List.of("c1")), store.reads);
        assertFalse(done.isDone(), "registration waits for the read: no message may reach the child before its state");
        assertTrue(rig.records.registeredSpecs.isEmpty());

        store.answerRead(Map.of("c1", 41));
        assertEquals(1, done.join().started.size());
        assertEquals(41, rig.answer("c1", "get"));
        assertEquals("[c1@0/1=41]", store.writes.toString(), "restoring claims the child (RestoreFencesOlderInstanceTest)");
    }

    @Test
    void aHandedOverStateWinsOverTheCheckpoint() {
        sup.restore("c1", 7, "old-owner"); // the live state of a graceful move arrived before the start
        CompletableFuture<BatchResult> done = start("c1");
        store.answerRead(Map.of("c1", 3));
        done.join();
        assertEquals(7, rig.answer("c1", "get"));
    }

    @Test
    void theFirstCheckpointClaimsAndTheNextOnesAreNumberedInItsEpoch() {
        started("c1");
        ChildContext ctx = TestChild.context("c1", 1);
        CompletableFuture<Void> first = ctx.checkpoint();
        CompletableFuture<Void> early = ctx.checkpoint();
        assertEquals("[c1@0/1=0]", store.writes.toString(), "epoch 0: claim; the second waits for the claim's answer");

        store.writes.get(0).done.complete(5L);
        first.join();
        rig.answer("c1", "inc");
        assertEquals("[c1@0/1=0, c1@5/2=0]", store.writes.toString(), "the waiting one went with the epoch claimed");
        CompletableFuture<Void> next = ctx.checkpoint();
        assertEquals("[c1@0/1=0, c1@5/2=0, c1@5/3=1]", store.writes.toString());
        assertFalse(early.isDone());
        store.writes.get(1).done.complete(5L);
        store.writes.get(2).done.completeExceptionally(new IllegalStateException("refused"));
        early.join();
        assertThrows(CompletionException.class, next::join);
    }

    @Test
    void aPassiveReplicaNeitherReadsNorCheckpointsAndClaimsAnewWhenPromoted() {
        rig.placement.role = ReplicaRole.PASSIVE;
        start("c1").join();
        assertTrue(store.reads.isEmpty(), "a passive replica restores nothing");
        CompletionException refused = assertThrows(CompletionException.class,
            () -> TestChild.context("c1", 1).checkpoint().join());
        assertInstanceOf(NotActiveReplicaException.class, refused.getCause());

        CompletableFuture<RoleChange> promoted = sup.changeRole("c1", ReplicaRole.ACTIVE);
        store.answerRead(Map.of());
        promoted.join();
        TestChild.context("c1", 1).checkpoint();
        assertEquals("[c1@0/1=0]", store.writes.toString());
    }

    private void startPassive(String id) {
        rig.placement.role = ReplicaRole.PASSIVE;
        start(id).join();
        rig.placement.role = ReplicaRole.ACTIVE;
    }

    @Test
    void aPromotedReplicaRestoresTheLastCheckpointBeforeItTakesMessages() {
        startPassive("c1");
        CompletableFuture<RoleChange> promoted = sup.changeRole("c1", ReplicaRole.ACTIVE);
        assertEquals(List.of(List.of("c1")), store.reads, "the promotion reads the checkpoint first");
        assertFalse(promoted.isDone());
        assertSame(promoted, sup.changeRole("c1", ReplicaRole.ACTIVE), "asked again meanwhile: the same promotion, no second read");
        CompletionException refused = assertThrows(CompletionException.class, () -> rig.call("c1", "get").join());
        assertInstanceOf(NotActiveReplicaException.class, refused.getCause(), "still passive while it reads");

        store.answerStored(Map.of("c1", FakeCheckpointStore.stored(9, 3)));
        assertEquals(ReplicaRole.PASSIVE, promoted.join().previous.role());
        assertEquals(ReplicaRole.ACTIVE, sup.local("c1").ref.role());
        assertEquals(9, rig.answer("c1", "get"), "resumed from the checkpoint");
        assertEquals(1, rig.metrics.checkpointsRestored.sum());
        assertEquals(1, store.reads.size());
    }

    @Test
    void aPromotedReplicaThatWasHandedTheLiveStateReadsNothing() {
        startPassive("c1");
        sup.restore("c1", 7, "old-owner");
        assertNotNull(sup.changeRole("c1", ReplicaRole.ACTIVE).join(), "promoted at once");
        assertTrue(store.reads.isEmpty());
        assertEquals(7, rig.answer("c1", "get"));
    }

    @Test
    void aReplicaActiveBeforeKeepsItsNewerStateUnlessAnotherInstanceClaimedTheChildSince() {
        started("c1");
        TestChild.context("c1", 1).checkpoint();
        store.writes.get(0).done.complete(5L); // its claim: epoch 5
        rig.answer("c1", "inc");
        rig.answer("c1", "inc"); // 2, newer than its checkpoint (0)

        CompletableFuture<RoleChange> demoted = sup.changeRole("c1", ReplicaRole.PASSIVE);
        assertEquals("[c1@0/1=0, c1@5/2=2]", store.writes.toString(), "demoted without a handover: a last checkpoint");
        assertFalse(demoted.isDone(), "the demotion is made known once its last checkpoint is stored");
        assertEquals(ReplicaRole.ACTIVE, sup.local("c1").ref.role(), "meanwhile it still shows as active");
        CompletionException refused = assertThrows(CompletionException.class, () -> rig.call("c1", "inc").join());
        assertInstanceOf(NotActiveReplicaException.class, refused.getCause(), "but takes no message");
        assertNull(sup.changeRole("c1", ReplicaRole.PASSIVE).join(), "asked again meanwhile: under way already");
        store.writes.get(1).done.complete(5L);
        assertEquals(ReplicaRole.ACTIVE, demoted.join().previous.role());
        assertEquals(ReplicaRole.PASSIVE, sup.local("c1").ref.role());
        CompletableFuture<RoleChange> again = sup.changeRole("c1", ReplicaRole.ACTIVE);
        store.answerStored(Map.of("c1", FakeCheckpointStore.stored(1, 5))); // an older one of its own: nobody claimed since
        again.join();
        assertEquals(2, rig.answer("c1", "get"), "its own state is at least as new as its own checkpoints: kept");

        CompletableFuture<RoleChange> demotedAgain = sup.changeRole("c1", ReplicaRole.PASSIVE, true);
        assertEquals(2, store.writes.size(), "demoted with its state handed over: no last checkpoint");
        demotedAgain.join();
        CompletableFuture<RoleChange> third = sup.changeRole("c1", ReplicaRole.ACTIVE);
        store.answerStored(Map.of("c1", FakeCheckpointStore.stored(42, 6))); // another instance claimed and checkpointed since
        third.join();
        assertEquals(42, rig.answer("c1", "get"), "another instance moved the child on: its checkpoint is newer");
    }

    @Test
    void aDemotionAskedWhileAPromotionReadsWins() {
        startPassive("c1");
        CompletableFuture<RoleChange> promoted = sup.changeRole("c1", ReplicaRole.ACTIVE);
        assertNull(sup.changeRole("c1", ReplicaRole.PASSIVE).join(), "passive already");
        store.answerStored(Map.of("c1", FakeCheckpointStore.stored(9, 3)));
        assertNull(promoted.join(), "superseded");
        assertEquals(ReplicaRole.PASSIVE, sup.local("c1").ref.role());
        assertEquals(0, rig.metrics.checkpointsRestored.sum());
    }

    @Test
    void aMoveTakesALastCheckpointAndUnregistersOnlyOnceItIsStored() {
        started("c1");
        rig.answer("c1", "inc");
        rig.answer("c1", "inc");
        List<String> stopped = new java.util.ArrayList<>();
        sup.stop(List.of("c1"), StopReason.MIGRATED, false, stopped::addAll);
        assertEquals("[c1@0/1=2]", store.writes.toString(), "the live state at the stop, claiming an epoch");
        assertTrue(rig.records.unregistered.isEmpty(), "the new owner must not start it before the checkpoint is stored");
        store.writes.get(0).done.complete(4L);
        assertEquals(List.of("c1"), rig.records.unregistered);
        assertEquals(List.of("c1"), stopped);
    }

    @Test
    void aGracefulLeaveWithoutHandoverTakesLastCheckpoints() {
        started("c1");
        TestChild.context("c1", 1).checkpoint();
        store.writes.get(0).done.complete(5L);
        rig.answer("c1", "inc");
        CompletableFuture<Void> done = sup.stopAll(StopReason.SHUTDOWN, true);
        assertEquals("[c1@0/1=0, c1@5/2=1]", store.writes.toString(), "numbered in its epoch");
        assertFalse(done.isDone());
        store.writes.get(1).done.complete(5L);
        assertTrue(done.isDone());
    }

    @Test
    void aStopForGoodDeletesTheCheckpointAMoveDoesNot() {
        started("moved");
        started("stopped");
        sup.stop(List.of("moved"), StopReason.MIGRATED, false, ids -> { });
        assertTrue(store.deleted.isEmpty());
        sup.stop(List.of("stopped"), StopReason.REQUESTED, true, ids -> { });
        assertEquals(List.of("stopped"), store.deleted);
    }

    @Test
    void withoutCheckpointsACheckpointFails() {
        try (SupervisorRig plain = new SupervisorRig()) {
            plain.start(ChildSpec.of("c1", TestChild.class));
            CompletionException e = assertThrows(CompletionException.class, () -> TestChild.context("c1", 1).checkpoint().join());
            assertTrue(e.getCause().getMessage().contains("keeps no checkpoints"), e.getCause().getMessage());
        }
    }
}
