package io.processhub.ignite.membership;

import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.spi.discovery.tcp.internal.TcpDiscoveryNode;

/**
 * The server nodes this node has seen, by consistent id, with their discovery addresses: the former members a
 * side without quorum pings after a split. A node that left gracefully is dropped at once (a leave is no split);
 * one that failed stays until {@link #forgetFailedBefore forgotten}. Used from one thread.
 */
final class KnownServers {
    private final Map<String, Collection<InetSocketAddress>> addresses = new TreeMap<>();
    /** Consistent id → when it was seen failing; only for servers missing from the topology. */
    private final Map<String, Long> failedAt = new HashMap<>();

    /** Records the servers of the current topology (a restarted server replaces its old addresses). */
    void seen(Collection<ClusterNode> servers) {
        for (ClusterNode n : servers) {
            String id = Membership.nameOf(n);
            addresses.put(id, n instanceof TcpDiscoveryNode ? List.copyOf(((TcpDiscoveryNode)n).socketAddresses()) : List.of());
            failedAt.remove(id);
        }
    }

    void left(String id) {
        addresses.remove(id);
        failedAt.remove(id);
    }

    void failed(String id, long now) {
        if (addresses.containsKey(id))
            failedAt.putIfAbsent(id, now);
    }

    /** Drops the servers that failed before {@code cutoff}: crashes long past, not a split being healed. */
    void forgetFailedBefore(long cutoff) {
        failedAt.entrySet().removeIf(e -> {
            if (e.getValue() >= cutoff)
                return false;
            addresses.remove(e.getKey());
            return true;
        });
    }

    /** Known servers that are not in {@code present}, with their discovery addresses. */
    Map<String, Collection<InetSocketAddress>> formerThan(Set<String> present) {
        Map<String, Collection<InetSocketAddress>> res = new TreeMap<>();
        addresses.forEach((id, addrs) -> {
            if (!present.contains(id))
                res.put(id, addrs);
        });
        return res;
    }
}
