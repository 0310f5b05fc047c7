package io.processhub.strategy;

import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StaticQuorumTest {
    @Test
    void quorumNeedsAtLeastQuorumSizeMembers() {
        StaticQuorum q = new StaticQuorum();
        q.setQuorumSize(3);
        assertTrue(q.hasQuorum(List.of("a", "b", "c")));
        assertTrue(q.hasQuorum(List.of("a", "b", "c", "d")));
        assertFalse(q.hasQuorum(List.of("a", "b")));
        assertFalse(q.hasQuorum(List.of()));
    }

    @Test
    void quorumSizeBelowOneIsRejected() {
        StaticQuorum q = new StaticQuorum();
        q.setQuorumSize(0);
        assertEquals("StaticQuorum.quorumSize", assertThrows(InvalidStrategyException.class, q::validate).setting());
    }

    @Test
    void divergenceAlwaysHasQuorum() {
        assertTrue(new Divergence().hasQuorum(List.of()));
    }
}
