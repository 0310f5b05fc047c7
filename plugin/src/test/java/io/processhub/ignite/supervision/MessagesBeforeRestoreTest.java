package io.processhub.ignite.supervision;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A message that reaches a just started child before its checkpoint is restored (forwarded by its old owner, or sent
 * by a node whose registry still names this node) waits for the restore: it must neither act on the empty state nor
 * be overwritten by the checkpoint. Found by the chaos run (a child of a node that rejoined after a network cut
 * counted from 0, and its first checkpoint went below the last one).
 */
class MessagesBeforeRestoreTest extends CheckpointRigTest {

    @Test
    void aMessageDeliveredWhileTheCheckpointIsReadIsHandledAfterTheRestore() {
        CompletableFuture<BatchResult> started = rig.startTestChild("c1");
        CompletableFuture<Object> early = rig.call("c1", "inc");
        CompletableFuture<Object> later = rig.call("c1", "inc");
        assertFalse(early.isDone(), "the message waits for the child's state");

        store.answerRead(Map.of("c1", 41));
        started.join();
        assertEquals(42, early.join());
        assertEquals(43, later.join(), "held messages keep their order");
        assertEquals(43, rig.answer("c1", "get"));
    }

    @Test
    void heldMessagesGoOnWhenTheReadFails() {
        CompletableFuture<BatchResult> started = rig.startTestChild("c1");
        CompletableFuture<Object> early = rig.call("c1", "inc");
        store.failRead(new IllegalStateException("partition lost"));
        started.join();
        assertEquals(1, early.join());
    }

    /**
     * CheckpointIntervalTest (full suite): an interval checkpoint taken while a moved child's checkpoint was read
     * claimed with the empty state; refused, the child restored the stored state a second time.
     */
    @Test
    void aCheckpointAskedWhileTheCheckpointIsReadWaitsForTheRestore() {
        CompletableFuture<BatchResult> started = rig.startTestChild("c1");
        rig.supervisor.checkpointAll();
        CompletableFuture<Void> asked = TestChild.context("c1", 1).checkpoint();
        assertEquals(0, store.writes.size(), "nothing is taken from the state before the restore");

        store.answerRead(Map.of("c1", 41));
        started.join();
        assertEquals("[c1@0/1=41]", store.writes.toString(), "the restore's claim; the asked checkpoint waits for it");
        store.writes.get(0).done.complete(3L);
        assertEquals("[c1@0/1=41, c1@3/2=41]", store.writes.toString(), "then it is taken from the restored state");
        store.writes.get(1).done.complete(3L);
        asked.join();
        assertEquals(1, rig.metrics.checkpointsRestored.sum(), "restored once");
    }
}
