package io.processhub.ignite.supervision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The supervisor's side of checkpoints, without Ignite: claims at start and promotion, restores, versions, deletes. */
class CheckpointSupervisionTest {
    private final FakeCheckpointStore store = new FakeCheckpointStore();
    private SupervisorRig rig;
    private Supervisor sup;

    @BeforeEach
    void setUp() {
        TestChild.reset();
        rig = new SupervisorRig(3, 1_000, 100, store);
        sup = rig.supervisor;
    }

    @AfterEach
    void tearDown() {
        rig.close();
    }

    private CompletableFuture<BatchResult> start(String id) {
        CompletableFuture<BatchResult> done = new CompletableFuture<>();
        sup.start(List.of(new StartItem(ChildSpec.of(id, TestChild.class), 0)), true, done::complete);
        return done;
    }

    private static CheckpointStore.Claimed claim(long epoch, Object state) {
        return new CheckpointStore.Claimed(epoch, state);
    }

    @Test
    void anActiveChildIsRegisteredOnlyOnceItsCheckpointIsRestored() {
        CompletableFuture<BatchResult> done = start("c1");
        assertEquals(List.of(List.of("c1")), store.claimed);
        assertFalse(done.isDone(), "registration waits for the claim: no message may reach the child before its state");
        assertTrue(rig.records.registeredSpecs.isEmpty());

        store.answerClaim(Map.of("c1", claim(3, 41)));
        assertEquals(1, done.join().started.size());
        assertEquals(41, rig.answer("c1", "get"));
    }

    @Test
    void aHandedOverStateWinsOverTheCheckpoint() {
        sup.restore("c1", 7, "old-owner"); // the live state of a graceful move arrived before the start
        CompletableFuture<BatchResult> done = start("c1");
        store.answerClaim(Map.of("c1", claim(2, 3)));
        done.join();
        assertEquals(7, rig.answer("c1", "get"));
    }

    @Test
    void checkpointsWaitForTheClaimAndAreNumberedInItsEpoch() {
        CompletableFuture<BatchResult> done = start("c1");
        ChildContext ctx = TestChild.context("c1", 1);
        CompletableFuture<Void> early = ctx.checkpoint();
        assertTrue(store.writes.isEmpty(), "no epoch yet: the checkpoint waits for the claim");

        store.answerClaim(Map.of("c1", claim(5, null)));
        done.join();
        assertEquals("[c1@5/1=0]", store.writes.toString());
        rig.answer("c1", "inc");
        CompletableFuture<Void> next = ctx.checkpoint();
        assertEquals("[c1@5/1=0, c1@5/2=1]", store.writes.toString());
        assertFalse(early.isDone());
        store.writes.get(0).done.complete(null);
        store.writes.get(1).done.completeExceptionally(new IllegalStateException("refused"));
        early.join();
        assertThrows(CompletionException.class, next::join);
    }

    @Test
    void aPassiveReplicaClaimsWhenPromotedWithoutRestoring() {
        rig.placement.role = ReplicaRole.PASSIVE;
        start("c1").join();
        assertTrue(store.claimed.isEmpty(), "a passive replica does not claim");
        CompletionException refused = assertThrows(CompletionException.class,
            () -> TestChild.context("c1", 1).checkpoint().join());
        assertInstanceOf(NotActiveReplicaException.class, refused.getCause());

        sup.changeRole("c1", ReplicaRole.ACTIVE).join();
        assertEquals(List.of(List.of("c1")), store.claimed);
        store.answerClaim(Map.of("c1", claim(4, 9)));
        // Promoted, not started: messages may have reached it already, so a checkpoint never overwrites it.
        assertEquals(0, rig.answer("c1", "get"));
        TestChild.context("c1", 1).checkpoint();
        assertEquals(4, store.writes.get(0).epoch);
    }

    @Test
    void aStopForGoodDeletesTheCheckpointAMoveDoesNot() {
        CompletableFuture<BatchResult> a = start("moved");
        store.answerClaim(Map.of("moved", claim(1, null)));
        a.join();
        CompletableFuture<BatchResult> b = start("stopped");
        store.answerClaim(Map.of("stopped", claim(1, null)));
        b.join();

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
