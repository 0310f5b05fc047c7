package io.processhub.ignite.supervision;

import io.processhub.ChildContext;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An instance that restored a checkpoint claims the child at once, so that the instance it replaced, which may still
 * live (frozen beyond the failure detection timeout, it runs on until it learns it was dropped), can no longer store a
 * checkpoint above the restored state. Found by the chaos run (seed 20261129): a node SIGSTOPped for 6 s woke up and
 * stored a checkpoint of 2 after its child had been restarted elsewhere from 1; the new instance, which had not
 * checkpointed yet and so had not claimed the child, went on from 1.
 */
class RestoreFencesOlderInstanceTest extends CheckpointRigTest {

    @Test
    void aRestoredInstanceClaimsTheChildWithTheRestoredState() {
        CompletableFuture<BatchResult> started = rig.startTestChild("c1");
        store.answerRead(Map.of("c1", 41));
        started.join();
        assertEquals("[c1@0/1=41]", store.writes.toString(), "a claim (epoch 0) of the state restored");

        store.writes.get(0).done.complete(9L);
        rig.answer("c1", "inc");
        ChildContext ctx = TestChild.context("c1", 1);
        ctx.checkpoint();
        assertEquals("[c1@0/1=41, c1@9/2=42]", store.writes.toString(), "later checkpoints go in the epoch claimed");
    }

    @Test
    void nothingRestoredNothingClaimed() {
        CompletableFuture<BatchResult> started = rig.startTestChild("c1");
        store.answerRead(Map.of());
        started.join();
        assertTrue(store.writes.isEmpty(), store.writes.toString());
    }
}
