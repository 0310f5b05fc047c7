package io.processhub.strategy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * ProcessHub's {@code Distribution.Guided}: the caller names each child's nodes in the start request (the child
 * mapping, one node per replica, the first one first), and the child runs there and nowhere else. The mapping must
 * name exactly as many nodes as the child has replicas, all of them hub members; anything else is refused at start
 * with a {@link MappingProblem}.
 *
 * <p>A child is never moved: when one of its nodes leaves, that replica is not started elsewhere (the others keep
 * running, and the next mapped node still running takes over as first owner); when the node comes back, its replica
 * starts there again. A child whose nodes have all left runs nowhere until one of them returns. No settings.
 */
public class Guided implements DistributionStrategy {
    private static final long serialVersionUID = 1L;

    @Override
    public Placement placement(List<String> members) {
        return new GuidedPlacement(members);
    }

    @Override
    public boolean usesChildMapping() {
        return true;
    }

    @Override
    public MappingProblem checkMapping(String childId, List<String> mappedNodes, int copies, Collection<String> members) {
        if (mappedNodes == null)
            return new MappingProblem(MappingProblem.Kind.MISSING_MAPPING,
                "the hub distributes by Guided: the start request needs a child mapping naming the node(s) of " + childId);
        if (mappedNodes.isEmpty())
            return new MappingProblem(MappingProblem.Kind.CHILD_NOT_MAPPED, "the child mapping has no entry for " + childId);
        Set<String> seen = new HashSet<>();
        for (String node : mappedNodes) {
            if (node == null || node.isBlank())
                return new MappingProblem(MappingProblem.Kind.INVALID_NODES,
                    "the child mapping names a null or blank node for " + childId + ": " + mappedNodes);
            if (!seen.add(node))
                return new MappingProblem(MappingProblem.Kind.INVALID_NODES,
                    "the child mapping names node " + node + " twice for " + childId + ": " + mappedNodes);
        }
        if (mappedNodes.size() != copies)
            return new MappingProblem(MappingProblem.Kind.REPLICATION_MISMATCH, "the child mapping names "
                + mappedNodes.size() + " node(s) for " + childId + " but the hub runs " + copies + " replica(s) of each child");
        for (String node : mappedNodes)
            if (!members.contains(node))
                return new MappingProblem(MappingProblem.Kind.UNKNOWN_NODE,
                    "the child mapping names node " + node + " for " + childId + ", which is not a member of the hub " + members);
        return null;
    }

    /** Owners are the mapped nodes that are members now, in mapping order; without a mapping, none. */
    static final class GuidedPlacement implements Placement {
        private final List<String> members;
        private final Set<String> memberSet;

        GuidedPlacement(List<String> unsortedMembers) {
            List<String> sorted = new ArrayList<>(unsortedMembers);
            sorted.sort(null);
            this.members = List.copyOf(sorted);
            this.memberSet = Set.copyOf(sorted);
        }

        @Override
        public List<String> members() {
            return members;
        }

        /** Without its mapping a guided child has no owner: null. */
        @Override
        public String owner(String childId) {
            return null;
        }

        @Override
        public List<String> owners(String childId, int copies) {
            return List.of();
        }

        @Override
        public List<String> owners(String childId, List<String> mappedNodes, int copies) {
            if (mappedNodes == null)
                return List.of();
            List<String> res = new ArrayList<>(Math.min(copies, mappedNodes.size()));
            for (String node : mappedNodes)
                if (res.size() < copies && memberSet.contains(node) && !res.contains(node))
                    res.add(node);
            return res;
        }
    }
}
