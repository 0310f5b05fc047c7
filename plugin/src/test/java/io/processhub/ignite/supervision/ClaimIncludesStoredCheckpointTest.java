package io.processhub.ignite.supervision;

import io.processhub.ignite.checkpoint.CheckpointVersion;
import io.processhub.ignite.checkpoint.ClaimRefusedException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.processhub.ChildContext;
import io.processhub.ReplicaRole;
import io.processhub.StopReason;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * A claim says which stored checkpoint the claimant's state includes, and an instance whose claim is refused takes the
 * newer checkpoint before it claims again: an instance that started before the one it replaced stored its last
 * checkpoint (found by the chaos run, seed 20261129) must not store its older state over it.
 */
class ClaimIncludesStoredCheckpointTest extends CheckpointRigTest {

    /** Starts c1 with nothing stored yet. */
    private ChildContext startedFresh() {
        CompletableFuture<BatchResult> started = rig.startTestChild("c1");
        store.answerRead(Map.of());
        started.join();
        return TestChild.context("c1", 1);
    }

    @Test
    void aClaimRefusedForANewerCheckpointRestoresItAndFailsTheWaitingCheckpoints() {
        ChildContext ctx = startedFresh();
        rig.answer("c1", "inc");
        CompletableFuture<Void> first = ctx.checkpoint();
        rig.answer("c1", "inc");
        CompletableFuture<Void> waiting = ctx.checkpoint();
        assertEquals(CheckpointVersion.NONE, store.writes.get(0).base, "a fresh instance's state includes no checkpoint");

        store.writes.get(0).refuse(5, 3); // the instance it replaced stored 5 under epoch 3 since
        CompletionException refused = assertThrows(CompletionException.class, first::join);
        assertInstanceOf(ClaimRefusedException.class, refused.getCause(), "its state is gone: not stored");
        CompletionException alsoRefused = assertThrows(CompletionException.class, waiting::join);
        assertInstanceOf(ClaimRefusedException.class, alsoRefused.getCause(), "taken from the state that is gone");
        assertEquals(5, rig.answer("c1", "get"), "it goes on from the newer checkpoint");
        assertEquals(1, store.writes.size(), "no claim at once: the other instance may be the one that goes on");

        rig.answer("c1", "inc");
        ctx.checkpoint();
        assertEquals("[c1@0/1=1, c1@0/1=6]", store.writes.toString(), "its next checkpoint claims, from the state it took");
        assertEquals(new CheckpointVersion(3, 1), store.writes.get(1).base);
        store.writes.get(1).done.complete(4L);
        rig.answer("c1", "inc");
        ctx.checkpoint();
        assertEquals("[c1@0/1=1, c1@0/1=6, c1@4/2=7]", store.writes.toString(), "then it writes in the epoch it claimed");
    }

    @Test
    void aClaimSaysWhichCheckpointTheStateIncludes() {
        CompletableFuture<BatchResult> started = rig.startTestChild("c1");
        store.answerRead(Map.of("c1", 41));
        started.join();
        assertEquals(new CheckpointVersion(1, 1), store.writes.get(0).base, "restored: the checkpoint it restored");
        store.writes.get(0).done.complete(2L);

        rig.supervisor.changeRole("c1", ReplicaRole.PASSIVE, true).join();
        CompletableFuture<?> promoted = rig.supervisor.changeRole("c1", ReplicaRole.ACTIVE);
        store.answerStored(Map.of()); // the promotion's read finds nothing newer
        promoted.join();
        TestChild.context("c1", 1).checkpoint();
        assertEquals(CheckpointVersion.allOfEpoch(2), store.writes.get(1).base, "its own claim: all it wrote in epoch 2");
    }

    @Test
    void aHandedOverStateIncludesEveryCheckpoint() {
        rig.supervisor.restore("c1", 7, "old-owner");
        CompletableFuture<BatchResult> started = rig.startTestChild("c1");
        store.answerRead(Map.of("c1", 3));
        started.join();
        TestChild.context("c1", 1).checkpoint();
        assertSame(CheckpointVersion.ALL, store.writes.get(0).base);
        assertEquals(7, store.writes.get(0).state);
    }

    @Test
    void aStopWhileTheClaimIsUnderWayWritesTheLastStateOnceTheClaimIsAnswered() {
        ChildContext ctx = startedFresh();
        ctx.checkpoint();
        rig.answer("c1", "inc");
        List<String> stopped = new java.util.ArrayList<>();
        rig.supervisor.stop(List.of("c1"), StopReason.MIGRATED, false, stopped::addAll);
        assertEquals(1, store.writes.size(), "not a second claim: its own first checkpoint is not in its base");

        store.writes.get(0).done.complete(6L);
        assertEquals("[c1@0/1=0, c1@6/2=1]", store.writes.toString(), "the last state, in the epoch claimed");
        assertTrue(stopped.isEmpty(), "the move waits for it");
        store.writes.get(1).done.complete(6L);
        assertEquals(List.of("c1"), stopped);
    }

    @Test
    void aStopWhoseClaimIsRefusedStoresNothing() {
        ChildContext ctx = startedFresh();
        ctx.checkpoint();
        List<String> stopped = new java.util.ArrayList<>();
        rig.supervisor.stop(List.of("c1"), StopReason.MIGRATED, false, stopped::addAll);
        store.writes.get(0).refuse(9, 3);
        assertEquals(1, store.writes.size(), "a newer checkpoint is stored: the stopping instance's older one is not");
        assertEquals(List.of("c1"), stopped);
        assertEquals(0, rig.metrics.checkpointsRestored.sum(), "a stopping instance restores nothing");
    }
}
