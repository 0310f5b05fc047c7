package io.processhub.strategy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Guided distribution: owners from the child mapping, and ProcessHub's mapping errors. */
class GuidedTest {
    private static final List<String> MEMBERS = List.of("c", "a", "b");
    private final Guided guided = new Guided();

    private MappingProblem.Kind problem(List<String> nodes, int copies) {
        MappingProblem p = guided.checkMapping("child-1", nodes, copies, MEMBERS);
        return p == null ? null : p.kind();
    }

    @Test
    void ownersAreTheMappedNodesInMappingOrder() {
        Placement p = guided.placement(MEMBERS);
        assertEquals(List.of("a", "b", "c"), p.members());
        assertEquals(List.of("c"), p.owners("x", List.of("c"), 1));
        assertEquals(List.of("c", "a"), p.owners("x", List.of("c", "a"), 2));
        assertEquals(List.of("c"), p.owners("x", List.of("c", "a"), 1), "no more owners than copies");
    }

    @Test
    void aMappedNodeThatIsNotAMemberOwnsNothingAndNoOtherNodeTakesItsPlace() {
        Placement p = guided.placement(List.of("b", "c"));
        assertEquals(List.of("c"), p.owners("x", List.of("a", "c"), 2), "a left: c is the only owner, and first");
        assertEquals(List.of(), p.owners("x", List.of("a"), 1), "a left: the child has no owner");
    }

    @Test
    void withoutItsMappingAChildHasNoOwner() {
        Placement p = guided.placement(MEMBERS);
        assertEquals(List.of(), p.owners("x", 1));
        assertEquals(List.of(), p.owners("x", null, 1));
        assertNull(p.owner("x"));
        assertTrue(guided.usesChildMapping());
        assertFalse(new ConsistentHashing().usesChildMapping());
    }

    @Test
    void mappingErrorsAreProcessHubs() {
        assertNull(problem(List.of("a"), 1));
        assertNull(problem(List.of("b", "a"), 2));
        assertEquals(MappingProblem.Kind.MISSING_MAPPING, problem(null, 1));
        assertEquals(MappingProblem.Kind.CHILD_NOT_MAPPED, problem(List.of(), 1));
        assertEquals(MappingProblem.Kind.REPLICATION_MISMATCH, problem(List.of("a", "b"), 1));
        assertEquals(MappingProblem.Kind.REPLICATION_MISMATCH, problem(List.of("a"), 2));
        assertEquals(MappingProblem.Kind.UNKNOWN_NODE, problem(List.of("a", "z"), 2));
        assertEquals(MappingProblem.Kind.INVALID_NODES, problem(List.of("a", "a"), 2));
        assertEquals(MappingProblem.Kind.INVALID_NODES, problem(Arrays.asList("a", null), 2));
        assertEquals(MappingProblem.Kind.INVALID_NODES, problem(List.of(" "), 1));
        assertTrue(guided.checkMapping("child-1", List.of("z"), 1, MEMBERS).detail().contains("z"), "the detail names the node");
    }

    @Test
    void otherStrategiesIgnoreTheMapping() {
        ConsistentHashing ring = new ConsistentHashing();
        assertNull(ring.checkMapping("x", null, 1, MEMBERS));
        Placement p = ring.placement(MEMBERS);
        assertEquals(p.owners("x", 2), p.owners("x", List.of("a"), 2));
    }
}
