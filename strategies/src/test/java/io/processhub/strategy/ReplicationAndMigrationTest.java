package io.processhub.strategy;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplicationAndMigrationTest {
    @Test
    void copiesNeverExceedTheMembers() {
        Replication r = new Replication();
        r.setReplicationFactor(3);
        assertEquals(2, r.copies(2));
        assertEquals(3, r.copies(5));
        r.setClusterSize(true);
        assertEquals(5, r.copies(5));
        assertEquals(1, new Singularity().copies(5));
    }

    @Test
    void signalsFollowTheSetting() {
        Replication r = new Replication();
        assertFalse(r.signals(true) || r.signals(false));
        r.setRedundancySignal(Replication.RedundancySignal.ACTIVE);
        assertTrue(r.signals(true));
        assertFalse(r.signals(false));
        r.setRedundancySignal(Replication.RedundancySignal.PASSIVE);
        assertFalse(r.signals(true));
        assertTrue(r.signals(false));
        r.setRedundancySignal(Replication.RedundancySignal.ALL);
        assertTrue(r.signals(true) && r.signals(false));
    }

    @Test
    void activeActiveMeansEveryReplicaIsActive() {
        Replication r = new Replication();
        assertTrue(r.allActive());
        r.setReplicationModel(Replication.ReplicationModel.ACTIVE_PASSIVE);
        assertFalse(r.allActive());
        assertFalse(new Singularity().allActive());
    }

    @Test
    void invalidSettingsNameTheSetting() {
        Replication r = new Replication();
        r.setReplicationFactor(0);
        assertEquals("Replication.replicationFactor", assertThrows(InvalidStrategyException.class, r::validate).setting());
        r.setReplicationFactor(2);
        r.setReplicationModel(null);
        assertEquals("Replication.replicationModel", assertThrows(InvalidStrategyException.class, r::validate).setting());
        HotSwap h = new HotSwap();
        h.setRetention(0);
        assertEquals("HotSwap.retention", assertThrows(InvalidStrategyException.class, h::validate).setting());
    }

    @Test
    void migrationModes() {
        assertFalse(new ColdSwap().startBeforeStop());
        assertFalse(new ColdSwap().handover());
        HotSwap h = new HotSwap();
        assertTrue(h.startBeforeStop());
        assertTrue(h.handover());
        h.setHandover(false);
        assertFalse(h.handover());
    }
}
