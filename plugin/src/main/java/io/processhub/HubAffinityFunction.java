package io.processhub;

import io.processhub.strategy.ConsistentHashing;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.ignite.cache.affinity.AffinityFunction;
import org.apache.ignite.cache.affinity.AffinityFunctionContext;
import org.apache.ignite.cluster.ClusterNode;

/**
 * The hub's {@link ConsistentHashing} ring as an Ignite {@link AffinityFunction}: give a user cache this
 * function (with the same partitions and virtual nodes as the hub, and a node filter on the hub's members,
 * see {@link #memberFilter(String)}) and an entry keyed by a child id lives on the node that runs the child.
 * During rebalancing Ignite may report the previous primary for a while ("late affinity assignment").
 */
public class HubAffinityFunction implements AffinityFunction {
    private static final long serialVersionUID = 1L;

    private final ConsistentHashing ring = new ConsistentHashing();

    public HubAffinityFunction() {
    }

    /** The same ring settings as the hub's distribution strategy. */
    public HubAffinityFunction(ConsistentHashing hubRing) {
        ring.setPartitions(hubRing.getPartitions());
        ring.setVirtualNodes(hubRing.getVirtualNodes());
    }

    public int getPartitions() {
        return ring.getPartitions();
    }

    public void setPartitions(int partitions) {
        ring.setPartitions(partitions);
    }

    public int getVirtualNodes() {
        return ring.getVirtualNodes();
    }

    public void setVirtualNodes(int virtualNodes) {
        ring.setVirtualNodes(virtualNodes);
    }

    /** A node filter that keeps a cache on the members of a hub, as the hub's placement does. */
    public static org.apache.ignite.lang.IgnitePredicate<ClusterNode> memberFilter(String hubId) {
        return new org.apache.ignite.util.AttributeNodeFilter("processhub.hub." + hubId, "true");
    }

    @Override
    public void reset() {
    }

    @Override
    public int partitions() {
        return ring.getPartitions();
    }

    @Override
    public int partition(Object key) {
        return key instanceof String ? ring.partition((String)key) : ring.partition(key.hashCode());
    }

    @Override
    public List<List<ClusterNode>> assignPartitions(AffinityFunctionContext ctx) {
        List<ClusterNode> nodes = ctx.currentTopologySnapshot();
        List<List<ClusterNode>> res = new ArrayList<>(ring.getPartitions());
        if (nodes.isEmpty()) {
            for (int p = 0; p < ring.getPartitions(); p++)
                res.add(List.of());
            return res;
        }
        Map<String, ClusterNode> byName = new HashMap<>();
        List<String> names = new ArrayList<>(nodes.size());
        for (ClusterNode n : nodes) {
            String name = String.valueOf(n.consistentId());
            byName.put(name, n);
            names.add(name);
        }
        int copies = ctx.backups() == Integer.MAX_VALUE ? nodes.size() : Math.min(nodes.size(), ctx.backups() + 1);
        ConsistentHashing.RingPlacement placement = ring.placement(names);
        for (int p = 0; p < ring.getPartitions(); p++) {
            List<ClusterNode> owners = new ArrayList<>(copies);
            for (String name : placement.ownersOfPartition(p, copies))
                owners.add(byName.get(name));
            res.add(owners);
        }
        return res;
    }

    @Override
    public void removeNode(UUID nodeId) {
    }
}
