package io.processhub.ignite.supervision.casts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A child's record of its senders' numbered casts, without Ignite: order, repeats, gaps, and a record handed over. */
class CastOrderTest {
    private static final UUID A = new UUID(0, 1);
    private static final UUID B = new UUID(0, 2);

    private final CastOrder order = new CastOrder();

    private static SequencedCast cast(UUID sender, long seq) {
        return new SequencedCast(sender, 100, seq, 1, "m" + seq);
    }

    /** The seqs handled, in order, when the casts come in the order given. */
    private static List<Long> handled(CastOrder order, SequencedCast... casts) {
        List<Long> res = new ArrayList<>();
        for (SequencedCast c : casts)
            if (order.admit(c, 0) == CastOrder.Verdict.DUE) {
                res.add(c.seq);
                for (SequencedCast n; (n = order.nextDue(c.sender)) != null; )
                    res.add(n.seq);
            }
        return res;
    }

    @Test
    void castsThatOvertookAnEarlierOneWaitForIt() {
        assertEquals(List.of(1L, 2L, 3L, 4L), handled(order, cast(A, 1), cast(A, 3), cast(A, 4), cast(A, 2)));
    }

    @Test
    void aCastThatComesAgainIsDropped() {
        assertEquals(List.of(1L, 2L), handled(order, cast(A, 1), cast(A, 2), cast(A, 1), cast(A, 2)));
        assertEquals(CastOrder.Verdict.OLD, order.admit(cast(A, 2), 0));
        order.admit(cast(A, 4), 0);
        assertEquals(CastOrder.Verdict.OLD, order.admit(cast(A, 4), 0), "held already");
    }

    @Test
    void sendersAreOrderedApart() {
        assertEquals(List.of(1L, 1L, 2L, 2L), handled(order, cast(A, 1), cast(B, 1), cast(B, 2), cast(A, 2)));
        assertEquals(CastOrder.Verdict.EARLY, order.admit(cast(B, 4), 0), "B's 3 is missing, whatever A does");
    }

    @Test
    void aNewInstanceWithoutARecordStartsAtTheSendersFloor() {
        // Casts 1..4 were acknowledged (handled by an instance whose record did not come): 5 is the first to wait for.
        assertEquals(CastOrder.Verdict.EARLY, order.admit(new SequencedCast(A, 100, 6, 5, "m6"), 0));
        assertEquals(List.of(5L, 6L), handled(order, new SequencedCast(A, 100, 5, 5, "m5")));
        // A later floor says the casts before it were handled elsewhere: nothing waits for them.
        order.admit(new SequencedCast(A, 100, 9, 7, "m9"), 0);
        assertEquals(List.of(8L, 9L), handled(order, new SequencedCast(A, 100, 8, 8, "m8")));
    }

    @Test
    void aNewNumberingReplacesTheOldOneAndTheOldOneIsDropped() {
        handled(order, cast(A, 1), cast(A, 2));
        assertEquals(CastOrder.Verdict.DUE, order.admit(new SequencedCast(A, 200, 1, 1, "x"), 0));
        assertEquals(CastOrder.Verdict.OLD, order.admit(cast(A, 3), 0));
    }

    @Test
    void aGapIsGivenUpAfterTheHoldTime() {
        handled(order, cast(A, 1));
        order.admit(cast(A, 4), 1_000);
        order.admit(cast(A, 5), 2_000);
        long[] skipped = new long[1];
        assertEquals(List.of(), order.giveUpGaps(1_000 + CastOrder.HOLD_MILLIS - 1, skipped));
        assertEquals(List.of(A), order.giveUpGaps(1_000 + CastOrder.HOLD_MILLIS, skipped));
        assertEquals(2, skipped[0], "2 and 3 never came");
        assertEquals(4, order.nextDue(A).seq);
        assertEquals(5, order.nextDue(A).seq);
        assertNull(order.nextDue(A));
        assertEquals(0, order.oldestWaiting());
        assertEquals(CastOrder.Verdict.OLD, order.admit(cast(A, 2), 0), "too late");
    }

    @Test
    void aHandedOverRecordGoesOnWhereThePreviousInstanceStopped() {
        handled(order, cast(A, 1), cast(A, 2));
        order.admit(cast(A, 4), 0); // early: 3 is still on its way
        CastOrder next = new CastOrder();
        next.merge(order.copy());
        assertEquals(CastOrder.Verdict.OLD, next.admit(cast(A, 2), 0));
        assertEquals(List.of(3L, 4L, 5L), handled(next, cast(A, 3), cast(A, 5)));
    }
}
