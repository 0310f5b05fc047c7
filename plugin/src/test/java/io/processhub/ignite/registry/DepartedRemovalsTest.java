package io.processhub.ignite.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Which removals of a departed log the oldest member keeps once it removes the log (chaos run, 30 minutes, case
 * one-2410): a departed log held a spec's removal, a log that departed later held the spec's older put; the first was
 * removed while the second stayed, and a node that joined then read the put alone and started the stopped child again.
 */
class DepartedRemovalsTest {
    private static final long PERIOD = 60_000;
    private static final long NOW = 1_000_000;

    private static RegistryDelta removals(long writtenAt, String key, long upTo) {
        return new RegistryDelta(UUID.randomUUID(), 1, upTo, writtenAt, new Object[0], new long[0], new String[] {key},
            new long[] {upTo});
    }

    private static DeltaApplier.DepartedLog lastWrittenAt(long at) {
        return new DeltaApplier.DepartedLog(UUID.randomUUID(), 1, 10, at);
    }

    @Test
    void aRemovalThatALaterDepartedLogMayShadowOutlivesItsOwnLog() {
        long removedAt = NOW - 5 * PERIOD;
        List<RegistryDelta> log = List.of(removals(removedAt, "spec:x", 77));
        Map<String, long[]> kept = LogCompactor.DepartedRemovals.toKeep(log, List.of(lastWrittenAt(removedAt + 1_000)), NOW, PERIOD);
        assertArrayEquals(new long[] {77, removedAt}, kept.get("spec:x"),
            "a log written after it remains (its removal was put off, say while the oldest member changed): kept, with its time");
    }

    @Test
    void anOldRemovalNoRemainingLogShadowsGoesWithItsLog() {
        long removedAt = NOW - 5 * PERIOD;
        List<RegistryDelta> log = List.of(removals(removedAt, "spec:x", 77));
        assertTrue(LogCompactor.DepartedRemovals.toKeep(log, List.of(), NOW, PERIOD).isEmpty(), "no other departed log");
        assertTrue(LogCompactor.DepartedRemovals.toKeep(log, List.of(lastWrittenAt(removedAt - 20_000)), NOW, PERIOD).isEmpty(),
            "the other log was written before it: it goes first, a period after its last batch");
    }

    @Test
    void aRemovalYoungerThanAPeriodIsKeptAnyway() {
        List<RegistryDelta> log = List.of(removals(NOW - PERIOD / 2, "spec:x", 5));
        assertEquals(1, LogCompactor.DepartedRemovals.toKeep(log, List.of(), NOW, PERIOD).size(), "older puts may still be on their way");
    }

    @Test
    void theLaterRemovalOfAKeyWins() {
        List<RegistryDelta> log = List.of(removals(NOW - 1_000, "spec:x", 5), removals(NOW - 500, "spec:x", 9));
        assertArrayEquals(new long[] {9, NOW - 500}, LogCompactor.DepartedRemovals.toKeep(log, List.of(), NOW, PERIOD).get("spec:x"));
    }

    @Test
    void aNodeThatIsNotTheOldestCountsADepartedLogAsPresentUntilItIsDueForRemovalAndAMargin() {
        long removedAt = NOW - 5 * PERIOD;
        DeltaApplier.DepartedLog later = lastWrittenAt(removedAt + 1_000);
        assertTrue(LogCompactor.DepartedRemovals.mayHoldOlderPut(List.of(later), removedAt, removedAt + PERIOD, PERIOD));
        assertFalse(LogCompactor.DepartedRemovals.mayHoldOlderPut(List.of(later), removedAt,
            later.lastWrittenAt + PERIOD + LogCompactor.DepartedRemovals.MARGIN_MILLIS, PERIOD), "removed by then");
    }
}
