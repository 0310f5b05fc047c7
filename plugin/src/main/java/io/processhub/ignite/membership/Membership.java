package io.processhub.ignite.membership;

import io.processhub.strategy.DistributionStrategy;
import io.processhub.strategy.Placement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.apache.ignite.cluster.ClusterNode;

/**
 * The hub's members at one Ignite topology version, and the placement over them. Immutable: every node
 * that processes the same topology version computes the same members and the same owners. Under a guided
 * distribution a child's owners also depend on its mapped nodes, which every node reads from its own registry copy.
 */
public final class Membership {
    private final long topologyVersion;
    private final List<ClusterNode> members;
    private final List<String> memberNames;
    private final Map<String, ClusterNode> byName;
    private final Placement placement;
    private final boolean guided;
    /** Child id → its mapped nodes (see ChildMapping.nodesOf), asked only under a guided distribution. */
    private final Function<String, List<String>> mappedNodes;

    private Membership(long topologyVersion, List<ClusterNode> members, Placement placement, boolean guided,
        Function<String, List<String>> mappedNodes) {
        this.topologyVersion = topologyVersion;
        this.members = members;
        this.placement = placement;
        this.guided = guided;
        this.mappedNodes = mappedNodes;
        this.memberNames = new ArrayList<>(members.size());
        this.byName = new HashMap<>();
        for (ClusterNode n : members) {
            String name = nameOf(n);
            memberNames.add(name);
            byName.put(name, n);
        }
    }

    /** @param mappedNodes child id → the nodes its start request named (Guided), from the local registry copy */
    public static Membership of(long topologyVersion, Collection<ClusterNode> topology, String memberAttribute,
        DistributionStrategy distribution, Function<String, List<String>> mappedNodes) {
        List<ClusterNode> members = new ArrayList<>();
        for (ClusterNode n : topology)
            if (!n.isClient() && n.attribute(memberAttribute) != null)
                members.add(n);
        members.sort(Comparator.comparing(Membership::nameOf));
        Placement placement = null;
        if (!members.isEmpty()) {
            List<String> names = new ArrayList<>(members.size());
            for (ClusterNode n : members)
                names.add(nameOf(n));
            placement = distribution.placement(names);
        }
        return new Membership(topologyVersion, List.copyOf(members), placement, distribution.usesChildMapping(), mappedNodes);
    }

    /** The name a node has in the hub: its consistent id as a string. */
    public static String nameOf(ClusterNode node) {
        return String.valueOf(node.consistentId());
    }

    public long topologyVersion() {
        return topologyVersion;
    }

    public List<ClusterNode> nodes() {
        return members;
    }

    public List<String> memberNames() {
        return memberNames;
    }

    public boolean isEmpty() {
        return members.isEmpty();
    }

    public boolean contains(UUID nodeId) {
        for (ClusterNode n : members)
            if (n.id().equals(nodeId))
                return true;
        return false;
    }

    /**
     * The member that should run a child (its active replica), or null if the hub has no members (or, under a guided
     * distribution, none of the child's mapped nodes is a member).
     */
    public ClusterNode owner(String childId) {
        if (guided) {
            List<ClusterNode> owners = owners(childId, 1);
            return owners.isEmpty() ? null : owners.get(0);
        }
        return placement == null ? null : byName.get(placement.owner(childId));
    }

    /** The members that should run the replicas of a child, first owner first; empty without members. */
    public List<ClusterNode> owners(String childId, int copies) {
        return owners(childId, guided ? mappedNodes.apply(childId) : null, copies);
    }

    /**
     * The same for a child whose mapped nodes are known (the spec of a start request, maybe not registered yet).
     *
     * @param mapped the child's mapped nodes, null if none; only a guided distribution uses them
     */
    public List<ClusterNode> owners(String childId, List<String> mapped, int copies) {
        if (placement == null)
            return List.of();
        if (copies == 1 && !guided)
            return List.of(byName.get(placement.owner(childId)));
        List<String> names = placement.owners(childId, mapped, copies);
        List<ClusterNode> res = new ArrayList<>(names.size());
        for (String name : names)
            res.add(byName.get(name));
        return res;
    }

    public int size() {
        return members.size();
    }

    /** The same membership without one node: where children go when that node leaves. */
    public Membership without(UUID nodeId, String memberAttribute, DistributionStrategy distribution) {
        List<ClusterNode> rest = new ArrayList<>(members);
        rest.removeIf(n -> n.id().equals(nodeId));
        return of(topologyVersion, rest, memberAttribute, distribution, mappedNodes);
    }

    /** The oldest member (lowest join order): it cleans up after dead nodes. */
    public ClusterNode oldest() {
        ClusterNode oldest = null;
        for (ClusterNode n : members)
            if (oldest == null || n.order() < oldest.order())
                oldest = n;
        return oldest;
    }
}
