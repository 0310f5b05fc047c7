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

/** The supervisor's side of checkpoints, without Ignite: restores at start, claims and versions, deletes. */
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

        sup.changeRole("c1", ReplicaRole.ACTIVE).join();
        TestChild.context("c1", 1).checkpoint();
        assertEquals("[c1@0/1=0]", store.writes.toString());
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
