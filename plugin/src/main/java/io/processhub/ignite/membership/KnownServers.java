package io.processhub.ignite.membership;

import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.spi.discovery.tcp.internal.TcpDiscoveryNode;

/**
 * The server nodes this node has seen, by consistent id, with their node id and discovery addresses: the former
 * members a side without quorum pings after a split. A node that left gracefully is dropped at once (a leave is no split);
 * one that failed stays until {@link #forgetFailedBefore forgotten}. Used from one thread.
 */
final class KnownServers {
    /** A server as last seen: the node (the id changes when its process restarts) and where its discovery listens. */
    static final class Server {
        final UUID nodeId;
        final Collection<InetSocketAddress> addresses;

        Server(UUID nodeId, Collection<InetSocketAddress> addresses) {
            this.nodeId = nodeId;
            this.addresses = addresses;
        }
    }

    private final Map<String, Server> servers = new TreeMap<>();
    /** Consistent id → when it was seen failing; only for servers missing from the topology. */
    private final Map<String, Long> failedAt = new HashMap<>();

    /** Records the servers of the current topology (a restarted server replaces its old addresses). */
    void seen(Collection<ClusterNode> topology) {
        for (ClusterNode n : topology) {
            String id = Membership.nameOf(n);
            servers.put(id, new Server(n.id(),
                n instanceof TcpDiscoveryNode ? List.copyOf(((TcpDiscoveryNode)n).socketAddresses()) : List.of()));
            failedAt.remove(id);
        }
    }

    void left(String id) {
        servers.remove(id);
        failedAt.remove(id);
    }

    void failed(String id, long now) {
        if (servers.containsKey(id))
            failedAt.putIfAbsent(id, now);
    }

    /** Drops the servers that failed before {@code cutoff}: crashes long past, not a split being healed. */
    void forgetFailedBefore(long cutoff) {
        failedAt.entrySet().removeIf(e -> {
            if (e.getValue() >= cutoff)
                return false;
            servers.remove(e.getKey());
            return true;
        });
    }

    /** Known servers that are not in {@code present}, by consistent id. */
    Map<String, Server> formerThan(Set<String> present) {
        Map<String, Server> res = new TreeMap<>();
        servers.forEach((id, server) -> {
            if (!present.contains(id))
                res.put(id, server);
        });
        return res;
    }
}
