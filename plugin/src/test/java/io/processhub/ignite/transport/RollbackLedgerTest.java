package io.processhub.ignite.transport;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bookkeeping of ROLLBACK batches on a member, in whatever order a batch's messages arrive. No Ignite. */
class RollbackLedgerTest {
    private static final UUID CALLER = UUID.randomUUID();
    private static final UUID OTHER = UUID.randomUUID();
    private static final long NOW = 1_000_000;
    private static final long DEADLINE = NOW + 500;

    private final RollbackLedger ledger = new RollbackLedger();

    @Test
    void anAbortUndoesWhatTheBatchStartedAndWhereItWasForwardedOnce() {
        ledger.started(CALLER, 7, DEADLINE, List.of("a", "b"), NOW);
        ledger.forwarded(CALLER, 7, DEADLINE, OTHER, NOW);
        ledger.started(CALLER, 8, DEADLINE, List.of("other-batch"), NOW);

        RollbackLedger.Undo undo = ledger.abort(new Messages.AbortStart(1, CALLER, 7), NOW + 10);

        assertEquals(List.of("a", "b"), undo.started);
        assertEquals(List.of(OTHER), undo.forwardedTo);
        assertTrue(ledger.isAborted(CALLER, 7));
        assertFalse(ledger.isAborted(CALLER, 8), "another batch of the same caller is untouched");
        assertNull(ledger.abort(new Messages.AbortStart(2, CALLER, 7), NOW + 20), "a second copy of the abort undoes nothing");
    }

    @Test
    void anAbortThatArrivesBeforeTheStartLeavesATombstone() {
        RollbackLedger.Undo undo = ledger.abort(new Messages.AbortStart(1, CALLER, 9), NOW);

        assertTrue(undo.started.isEmpty() && undo.forwardedTo.isEmpty());
        assertTrue(ledger.isAborted(CALLER, 9), "the start that arrives later is refused");
        assertFalse(ledger.isAborted(OTHER, 9), "batches are told apart by their caller");
    }

    @Test
    void batchesAreForgottenLongAfterTheirDeadline() {
        ledger.started(CALLER, 7, DEADLINE, List.of("a"), NOW);
        ledger.abort(new Messages.AbortStart(1, CALLER, 8), NOW);
        assertEquals(2, ledger.size());

        ledger.started(CALLER, 9, DEADLINE, List.of("b"), DEADLINE + RollbackLedger.RETENTION_MILLIS + 1);

        assertEquals(1, ledger.size(), "only the batch just recorded is left");
        assertFalse(ledger.isAborted(CALLER, 8));
    }
}
