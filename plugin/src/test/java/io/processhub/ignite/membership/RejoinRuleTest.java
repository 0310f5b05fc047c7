package io.processhub.ignite.membership;

import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each side of a split in two decides alone; exactly one of them moves. */
class RejoinRuleTest {
    private static boolean restarts(List<String> side, List<String> former) {
        return RejoinRule.sideRestarts(side, former);
    }

    /** The two sides' answers, each side judging with the other as its former members. */
    private static void assertExactlyOneMoves(List<String> a, List<String> b) {
        assertNotEquals(restarts(a, b), restarts(b, a), a + " | " + b);
    }

    @Test
    void theSmallerSideMoves() {
        assertTrue(restarts(List.of("n4", "n5"), List.of("n1", "n2", "n3")));
        assertFalse(restarts(List.of("n1", "n2", "n3"), List.of("n4", "n5")));
        assertTrue(restarts(List.of("n1"), List.of("n2", "n3", "n4", "n5")), "also the side of the oldest or smallest id");
        assertExactlyOneMoves(List.of("n1"), List.of("n2", "n3", "n4", "n5"));
        assertExactlyOneMoves(List.of("b", "d"), List.of("a", "c", "e"));
    }

    @Test
    void onEqualPartsTheSideWithTheSmallestIdStays() {
        assertFalse(restarts(List.of("n1", "n4"), List.of("n2", "n3")));
        assertTrue(restarts(List.of("n2", "n3"), List.of("n1", "n4")));
        assertExactlyOneMoves(List.of("x", "a"), List.of("m", "b"));
        assertExactlyOneMoves(List.of("n7"), List.of("n10"));
    }

    @Test
    void aSideThatMissesNobodyStays() {
        assertFalse(restarts(List.of("n1", "n2"), List.of()));
    }
}
