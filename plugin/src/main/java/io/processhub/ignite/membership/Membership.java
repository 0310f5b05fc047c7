package io.processhub.ignite.membership;

import io.processhub.strategy.DistributionStrategy;
import io.processhub.strategy.Placement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.apache.ignite.cluster.ClusterNode;

/**
 * The hub's members at one Ignite topology version, and the placement over them. Immutable: every node
 * that processes the same topology version computes the same members and the same owners. Under a guided
 * distribution a child's owners also depend on its mapped nodes, which every node reads from its own registry copy.
 *
 * <p>Draining members ({@code ProcessHub.drain}) stay members (quorum, {@code nodes()}) but take no placement: the
 * ring is built over the other members, as if the draining ones had left, so only their own children move. If every
 * member is draining (the others left), the drain is suspended: the ring takes them all, so the children run somewhere.
 */
public final class Membership {
    private final long topologyVersion;
    private final List<ClusterNode> members;
    private final List<String> memberNames;
    private final Map<String, ClusterNode> byName;
    private final Placement placement;
    /** The members that are draining, by node id (a subset of the members). */
    private final Set<UUID> draining;
    private final boolean guided;
    /** Child id → its mapped nodes (see ChildMapping.nodesOf), asked only under a guided distribution. */
    private final Function<String, List<String>> mappedNodes;

    private Membership(long topologyVersion, List<ClusterNode> members, Placement placement, Set<UUID> draining,
        boolean guided, Function<String, List<String>> mappedNodes) {
        this.topologyVersion = topologyVersion;
        this.members = members;
        this.placement = placement;
        this.draining = draining;
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

    /**
     * @param mappedNodes child id → the nodes its start request named (Guided), from the local registry copy
     * @param drainingIds ids of the nodes being drained, cluster-wide; those that are not members are ignored
     */
    public static Membership of(long topologyVersion, Collection<ClusterNode> topology, String memberAttribute,
        DistributionStrategy distribution, Function<String, List<String>> mappedNodes, Set<UUID> drainingIds) {
        List<ClusterNode> members = new ArrayList<>();
        for (ClusterNode n : topology)
            if (!n.isClient() && n.attribute(memberAttribute) != null)
                members.add(n);
        members.sort(Comparator.comparing(Membership::nameOf));
        Set<UUID> draining = new HashSet<>();
        List<String> hosts = new ArrayList<>(members.size());
        for (ClusterNode n : members) {
            if (drainingIds.contains(n.id()))
                draining.add(n.id());
            else
                hosts.add(nameOf(n));
        }
        if (hosts.isEmpty()) // every member is draining: suspend the drain rather than run the children nowhere
            for (ClusterNode n : members)
                hosts.add(nameOf(n));
        Placement placement = hosts.isEmpty() ? null : distribution.placement(hosts);
        return new Membership(topologyVersion, List.copyOf(members), placement, Set.copyOf(draining),
            distribution.usesChildMapping(), mappedNodes);
    }

    /** The same members with another draining set: a drain or undrain, no topology change. */
    public Membership withDraining(Set<UUID> drainingIds, String memberAttribute, DistributionStrategy distribution) {
        return of(topologyVersion, members, memberAttribute, distribution, mappedNodes, drainingIds);
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

    /** How many members take placements: the members that are not draining (all of them if every one is). */
    public int hostCount() {
        return placement == null ? 0 : placement.members().size();
    }

    /** Whether the member is being drained: it keeps what it runs only until its children moved. */
    public boolean isDraining(UUID nodeId) {
        return draining.contains(nodeId);
    }

    /** The draining members' names, sorted. */
    public List<String> drainingNames() {
        List<String> res = new ArrayList<>(draining.size());
        for (ClusterNode n : members)
            if (draining.contains(n.id()))
                res.add(nameOf(n));
        return res;
    }

    /** The same membership without one node: where children go when that node leaves. */
    public Membership without(UUID nodeId, String memberAttribute, DistributionStrategy distribution) {
        List<ClusterNode> rest = new ArrayList<>(members);
        rest.removeIf(n -> n.id().equals(nodeId));
        return of(topologyVersion, rest, memberAttribute, distribution, mappedNodes, draining);
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
