package io.processhub.ignite.membership;

import io.processhub.DrainException;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The stored form of the draining nodes, and of a drain refusal as a thin client receives it. */
class DrainingNodesTest {
    private static final UUID A = UUID.fromString("00000000-0000-0000-0000-00000000000a");
    private static final UUID B = UUID.fromString("00000000-0000-0000-0000-00000000000b");

    @Test
    void itsTextGivesTheSameSetBackWhateverTheNames() {
        DrainingNodes d = DrainingNodes.NONE.with("node b", B).with("a:1", A);
        DrainingNodes back = DrainingNodes.decode(d.encode());
        assertEquals(d, back);
        assertTrue(back.isDraining("a:1", A) && back.isDraining("node b", B));
        assertEquals(Set.of(A, B), back.ids());
        assertEquals(d.encode(), back.encode(), "equal sets are equal text: what a compare-and-set compares");
        assertEquals(DrainingNodes.NONE, DrainingNodes.decode(null));
        assertEquals(DrainingNodes.NONE, DrainingNodes.decode(""));
    }

    @Test
    void aNodeIsDrainingOnlyAsTheInstanceThatWasDrained() {
        DrainingNodes d = DrainingNodes.NONE.with("a", A);
        assertTrue(d.isDraining("a", A));
        assertFalse(d.isDraining("a", B), "the same consistent id back as a new node is not draining");
        assertEquals(Set.of(A), d.ids());
        assertEquals(DrainingNodes.NONE, d.without("a"));
    }

    @Test
    void entriesOfNodesThatLeftAreDropped() {
        DrainingNodes d = DrainingNodes.NONE.with("a", A).with("b", B);
        assertEquals(DrainingNodes.NONE.with("b", B), d.retain(B::equals));
        assertSame(d, d.retain(id -> true));
    }

    @Test
    void aRefusalKeepsItsReasonOverTheWire() {
        DrainException e = DrainException.fromWire(new DrainException(DrainException.Reason.LAST_NODE, "no: nowhere").toWire());
        assertEquals(DrainException.Reason.LAST_NODE, e.reason());
        assertEquals("no: nowhere", e.getMessage());
        DrainException unknown = DrainException.fromWire("SOMETHING_NEW: text");
        assertNull(unknown.reason());
        assertEquals("SOMETHING_NEW: text", unknown.getMessage());
    }
}
