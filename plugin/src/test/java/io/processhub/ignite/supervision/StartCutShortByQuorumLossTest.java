package io.processhub.ignite.supervision;

import io.processhub.ChildError;
import io.processhub.StopReason;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A start that this side's loss of quorum cuts short is answered as {@code PARTITIONED}, not as started: the child was
 * stopped, and its registration was never written, or written while quorum was being lost (maybe on this side only,
 * which forgets it when it rejoins). Found by the chaos run: a client on the side of a network cut that lost quorum
 * got "started" for a child that then ran nowhere, ever.
 */
class StartCutShortByQuorumLossTest {
    private final FakeCheckpointStore store = new FakeCheckpointStore();
    private SupervisorRig rig;

    @AfterEach
    void tearDown() {
        rig.close();
    }

    @Test
    void quorumLostBeforeTheRegistrationAnswersPartitioned() {
        TestChild.reset();
        rig = new SupervisorRig(3, 1_000, 100, store);
        CompletableFuture<BatchResult> done = rig.startTestChild("c1"); // registration waits for the checkpoint read
        rig.supervisor.stopAll(StopReason.PARTITIONED);
        store.answerRead(Map.of());

        BatchResult res = done.join();
        assertTrue(res.started.isEmpty(), res.started.toString());
        assertEquals(ChildError.Reason.PARTITIONED, res.errors.get(0).reason());
        assertTrue(rig.records.registeredSpecs.isEmpty(), "nothing registered for a child that does not run");
    }

    @Test
    void quorumLostWhileTheRegistrationIsInFlightAnswersPartitioned() {
        TestChild.reset();
        rig = new SupervisorRig();
        CompletableFuture<Void> write = new CompletableFuture<>();
        rig.records.nextRegistration = write;
        CompletableFuture<BatchResult> done = rig.startTestChild("c1");
        rig.supervisor.stopAll(StopReason.PARTITIONED);
        write.complete(null);

        BatchResult res = done.join();
        assertTrue(res.started.isEmpty(), res.started.toString());
        assertEquals(ChildError.Reason.PARTITIONED, res.errors.get(0).reason());
    }
}
