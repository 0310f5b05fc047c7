package io.processhub.ignite.checkpoint;

import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The version rule of checkpoints, without Ignite: a stored checkpoint never goes backwards. */
class CheckpointVersionTest {
    private static final byte[] A = {1};
    private static final byte[] B = {2};
    private static final byte[] C = {3};

    @Test
    void aClaimRaisesTheFenceAndKeepsTheCheckpoint() {
        CheckpointRecord first = CheckpointRecord.claimed(null);
        assertEquals(1, first.fence());
        assertNull(first.state());
        CheckpointRecord stored = first.written(1, 4, A);
        CheckpointRecord second = CheckpointRecord.claimed(stored);
        assertEquals(2, second.fence());
        assertEquals(1, second.epoch());
        assertEquals(4, second.seq());
        assertSame(A, second.state());
    }

    @Test
    void onlyNewerWritesOfTheCurrentEpochAreAccepted() {
        CheckpointRecord stored = CheckpointRecord.claimed(null).written(1, 5, A);
        assertTrue(CheckpointRecord.accepts(stored, 1, 6));
        assertFalse(CheckpointRecord.accepts(stored, 1, 5), "the same version again");
        assertFalse(CheckpointRecord.accepts(stored, 1, 4), "an older one");
        CheckpointRecord reclaimed = CheckpointRecord.claimed(stored);
        assertFalse(CheckpointRecord.accepts(reclaimed, 1, 99), "an instance replaced by a newer claim");
        assertTrue(CheckpointRecord.accepts(reclaimed, 2, 1), "the new instance's first checkpoint");
        assertFalse(CheckpointRecord.accepts(reclaimed, 3, 1), "an epoch nobody claimed");
    }

    @Test
    void aWriteWithoutAnEntryIsRefused() {
        // Deleted (the child was stopped) or never claimed: a late write must not bring the checkpoint back.
        assertFalse(CheckpointRecord.accepts(null, 1, 1));
    }

    @Test
    void requestsOfABatchApplyInOrder() {
        CheckpointUpdate.Outcome o = CheckpointUpdate.apply(null, List.of(CheckpointUpdate.Op.claimAndWrite(CheckpointVersion.NONE, A),
            CheckpointUpdate.Op.write(1, 2, B)));
        assertArrayEquals(new boolean[] {true, true}, o.applied);
        assertEquals(1, o.claimed.fence());
        assertSame(B, o.after.state());
        assertEquals(2, o.after.seq());

        CheckpointUpdate.Outcome deleted = CheckpointUpdate.apply(o.after, List.of(CheckpointUpdate.Op.write(1, 3, C),
            CheckpointUpdate.Op.delete(), CheckpointUpdate.Op.write(1, 4, A)));
        assertArrayEquals(new boolean[] {true, true, false}, deleted.applied, "nothing is written after the delete");
        assertNull(deleted.after);
    }

    @Test
    void anOldOwnersLateWriteLosesAgainstTheNewOwnersFirstCheckpoint() {
        CheckpointRecord stored = CheckpointRecord.claimed(null).written(1, 7, A);
        // The new owner restored A and takes its first checkpoint (epoch 2); the old owner's write (1, 8) comes later.
        CheckpointUpdate.Outcome first = CheckpointUpdate.apply(stored, List.of(CheckpointUpdate.Op.claimAndWrite(stored.version(), C)));
        assertEquals(2, first.claimed.fence());
        assertEquals(2, first.after.epoch());
        assertEquals(1, first.after.seq());
        CheckpointUpdate.Outcome late = CheckpointUpdate.apply(first.after, List.of(CheckpointUpdate.Op.write(1, 8, B)));
        assertFalse(late.applied[0]);
        assertSame(C, late.after.state());
        CheckpointUpdate.Outcome next = CheckpointUpdate.apply(late.after, List.of(CheckpointUpdate.Op.write(2, 2, A)));
        assertTrue(next.applied[0]);
        assertSame(A, next.after.state());
    }

    @Test
    void aFirstCheckpointWithoutAnEntryIsEpochOne() {
        CheckpointUpdate.Outcome o = CheckpointUpdate.apply(null, List.of(CheckpointUpdate.Op.claimAndWrite(CheckpointVersion.NONE, A)));
        assertEquals(1, o.claimed.fence());
        assertEquals(1, o.after.epoch());
        assertSame(A, o.after.state());
    }

    /**
     * Chaos run, seed 20261129 (CI): an instance started before its child's first checkpoint was stored by the instance
     * it replaced took its own first checkpoint 12 s later, claiming the child with a state that missed the stored one:
     * the checkpoint went from 1 back to 1 counted afresh. A claim is now refused unless the claimant's state includes
     * what is stored, and the claimant gets the stored entry back.
     */
    @Test
    void aClaimWhoseStateMissesTheStoredCheckpointIsRefused() {
        CheckpointRecord stored = CheckpointRecord.claimed(null).written(1, 7, A);
        for (CheckpointVersion base : List.of(CheckpointVersion.NONE, new CheckpointVersion(1, 6))) {
            CheckpointUpdate.Outcome o = CheckpointUpdate.apply(stored, List.of(CheckpointUpdate.Op.claimAndWrite(base, B)));
            assertFalse(o.applied[0], "a state that includes only " + base);
            assertNull(o.claimed);
            assertSame(stored, o.refusedBy, "the newer checkpoint goes back to the claimant");
            assertSame(stored, o.after, "unchanged: the fence too");
        }
        for (CheckpointVersion base : List.of(new CheckpointVersion(1, 7), CheckpointVersion.allOfEpoch(1), CheckpointVersion.ALL)) {
            CheckpointUpdate.Outcome o = CheckpointUpdate.apply(stored, List.of(CheckpointUpdate.Op.claimAndWrite(base, B)));
            assertTrue(o.applied[0], "a state that includes " + base);
            assertNull(o.refusedBy);
            assertEquals(2, o.after.fence());
            assertSame(B, o.after.state());
        }
    }
}
