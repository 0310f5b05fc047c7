package io.processhub.strategy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The default distribution: a consistent-hash ring with {@link #getVirtualNodes() virtual nodes} per member.
 * A child id hashes to one of {@link #getPartitions() partitions}; each partition hashes to a point on the
 * ring and is owned by the members met walking clockwise from that point. Going through partitions makes
 * the same ring usable as an Ignite affinity function, so a user cache keyed by child id lives on the node
 * that runs the child. When a member joins, only the partitions whose ring successor it becomes move.
 */
public class ConsistentHashing implements DistributionStrategy {
    private static final long serialVersionUID = 1L;

    private int partitions = 1024;
    private int virtualNodes = 512;

    public int getPartitions() {
        return partitions;
    }

    public void setPartitions(int partitions) {
        this.partitions = partitions;
    }

    public int getVirtualNodes() {
        return virtualNodes;
    }

    public void setVirtualNodes(int virtualNodes) {
        this.virtualNodes = virtualNodes;
    }

    @Override
    public void validate() {
        if (partitions < 1 || partitions > 65_000)
            throw new InvalidStrategyException("ConsistentHashing.partitions",
                "must be between 1 and 65000 (Ignite's partition limit), was " + partitions);
        if (virtualNodes < 1 || virtualNodes > 10_000)
            throw new InvalidStrategyException("ConsistentHashing.virtualNodes",
                "must be between 1 and 10000, was " + virtualNodes);
    }

    /** The partition of a child id (or of any string key of a collocated cache). */
    public int partition(String key) {
        return Math.floorMod(RingHash.hash(key), partitions);
    }

    /** The partition of any other key, from its (deterministic) hash code. */
    public int partition(int keyHashCode) {
        return Math.floorMod(RingHash.mix(keyHashCode), partitions);
    }

    @Override
    public RingPlacement placement(List<String> members) {
        return new RingPlacement(this, members);
    }

    /** Placement over one membership: a partition → owners table computed once. */
    public static final class RingPlacement implements Placement {
        private final ConsistentHashing ring;
        private final List<String> members;
        /** For each partition, the members in ring order from the partition's point (all of them). */
        private final int[][] successors;

        RingPlacement(ConsistentHashing ring, List<String> unsortedMembers) {
            if (unsortedMembers.isEmpty())
                throw new IllegalArgumentException("a placement needs at least one member");
            this.ring = ring;
            List<String> sorted = new ArrayList<>(unsortedMembers);
            sorted.sort(null);
            this.members = List.copyOf(sorted);

            int points = members.size() * ring.virtualNodes;
            long[] hashes = new long[points];
            int[] owners = new int[points];
            long[] packed = new long[points];
            int n = 0;
            for (int m = 0; m < members.size(); m++)
                for (int v = 0; v < ring.virtualNodes; v++)
                    hashes[n++] = RingHash.hash(members.get(m) + "#" + v);
            // Sort points by hash while remembering their member: sort indices by hash.
            Integer[] order = new Integer[points];
            for (int i = 0; i < points; i++)
                order[i] = i;
            Arrays.sort(order, (a, b) -> Long.compare(hashes[a], hashes[b]));
            for (int i = 0; i < points; i++) {
                packed[i] = hashes[order[i]];
                owners[i] = order[i] / ring.virtualNodes;
            }

            successors = new int[ring.partitions][];
            for (int p = 0; p < ring.partitions; p++)
                successors[p] = walk(packed, owners, RingHash.hash("partition-" + p), members.size());
        }

        private static int[] walk(long[] points, int[] owners, long start, int memberCount) {
            int idx = Arrays.binarySearch(points, start);
            if (idx < 0)
                idx = -idx - 1;
            int[] found = new int[memberCount];
            boolean[] seen = new boolean[memberCount];
            int count = 0;
            for (int step = 0; step < points.length && count < memberCount; step++) {
                int owner = owners[(idx + step) % points.length];
                if (!seen[owner]) {
                    seen[owner] = true;
                    found[count++] = owner;
                }
            }
            return found;
        }

        @Override
        public List<String> members() {
            return members;
        }

        @Override
        public String owner(String childId) {
            return members.get(successors[ring.partition(childId)][0]);
        }

        @Override
        public List<String> owners(String childId, int copies) {
            return ownersOfPartition(ring.partition(childId), copies);
        }

        /** Owners of one partition, first owner first. */
        public List<String> ownersOfPartition(int partition, int copies) {
            int[] order = successors[partition];
            int n = Math.min(Math.max(copies, 1), order.length);
            List<String> res = new ArrayList<>(n);
            for (int i = 0; i < n; i++)
                res.add(members.get(order[i]));
            return res;
        }
    }
}
