package io.processhub.strategy;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which replica is active (RedundancyStrategy) and what a moving replica does (MigrationStrategy). */
class ReplicaPolicyTest {
    private static Replication activePassive() {
        Replication r = new Replication();
        r.setReplicationModel(Replication.ReplicationModel.ACTIVE_PASSIVE);
        return r;
    }

    @Test
    void theFirstOwnerIsPromotedOnlyOnceNoOtherReplicaIsActive() {
        RedundancyStrategy r = activePassive();
        assertFalse(r.active(0, false, true, false), "waits for the old active to be demoted");
        assertTrue(r.active(0, false, false, false), "promoted once no other is active");
        assertTrue(r.active(0, true, true, true), "an active first owner stays active (the other one is demoted)");
        assertTrue(new Singularity().active(0, false, false, false));
        assertFalse(new Singularity().active(0, false, true, false));
    }

    @Test
    void anActiveReplicaOffTheFirstOwnerIsDemotedOnlyOnceTheFirstOwnerRunsItsReplica() {
        RedundancyStrategy r = activePassive();
        assertTrue(r.active(1, true, false, false), "make before break: stays active while the first owner runs nothing");
        assertFalse(r.active(1, true, false, true), "demoted once the first owner runs its replica");
        assertFalse(r.active(1, false, false, false), "a standby is never promoted off the first owner");
        assertFalse(r.active(-1, false, false, false));
    }

    @Test
    void activeActiveKeepsEveryReplicaActive() {
        Replication r = new Replication();
        assertTrue(r.active(2, false, true, true));
        assertTrue(r.active(-1, false, true, true));
    }

    @Test
    void coldSwapStopsFirstAndStartsOnlyOnceTheMovingReplicaIsGone() {
        ColdSwap c = new ColdSwap();
        assertEquals(MoveStep.STOP_NOW, c.moveStep(true, false, false, false));
        assertEquals(MoveStep.STOP_NOW, c.moveStep(true, true, false, true));
        assertFalse(c.mayStart(true));
        assertTrue(c.mayStart(false));
    }

    @Test
    void hotSwapMovesTheLiveStateWhateverTheRoleOfItsHolder() {
        HotSwap h = new HotSwap();
        assertTrue(h.mayStart(true), "the new owner starts while the old one runs");
        assertEquals(MoveStep.WAIT, h.moveStep(true, false, false, false), "the active one waits for the new owner");
        assertEquals(MoveStep.HAND_OVER, h.moveStep(true, false, false, true));
        assertEquals(MoveStep.HAND_OVER, h.moveStep(false, true, true, true),
            "a passive replica that received the state (its sender's entry may still show) hands it on");
        assertEquals(MoveStep.HAND_OVER, h.moveStep(false, false, false, true), "no active replica anywhere: it is the best state");
        assertEquals(MoveStep.STOP_NOW, h.moveStep(false, false, true, true), "a standby stops: the active one holds the state");
    }
}
