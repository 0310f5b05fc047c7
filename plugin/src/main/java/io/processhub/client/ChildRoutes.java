package io.processhub.client;

import io.processhub.ChildRef;
import io.processhub.ReplicaRole;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.ignite.client.ClientException;

/**
 * Where a thin client sends a child's calls: straight to the node that runs the child's active replica, so the
 * request is one hop (client to that node) instead of two (client to any node, that node to the child's). The
 * client learns a child's node from the refs of its start results and from each call's reply, which names the node
 * the child ran on. A stale route costs nothing but the old hop: the node it reaches forwards the call as any node
 * would, and its reply corrects the route.
 *
 * <p>Holds at most {@link #MAX_ROUTES} children (least recently used dropped first); the proxies bound to each node
 * are the client's {@link NodeServices}.
 */
final class ChildRoutes {
    /** Children remembered per hub: 64 Ki routes are a few MB at most. */
    static final int MAX_ROUTES = 65_536;

    private final NodeServices nodes;
    private final Map<String, UUID> routes = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, UUID> eldest) {
            return size() > MAX_ROUTES;
        }
    };

    /** Routes of one hub; {@code nodes} is shared by the hubs of one client. */
    ChildRoutes(NodeServices nodes) {
        this.nodes = nodes;
    }

    /** The service bound to the node that ran the child when last heard of, or null if unknown. */
    ProcessHubService serviceFor(String childId) {
        UUID node;
        synchronized (routes) {
            node = routes.get(childId);
        }
        return node == null ? null : nodes.on(node);
    }

    /** Remembers where a child's active replica runs; a null node forgets the child. */
    void learn(String childId, UUID node) {
        if (childId == null)
            return;
        synchronized (routes) {
            if (node == null)
                routes.remove(childId);
            else
                routes.put(childId, node);
        }
    }

    /** Remembers the active replicas among started refs. */
    void learnStarted(Collection<ChildRef> refs) {
        for (ChildRef r : refs)
            if (r.role() == ReplicaRole.ACTIVE)
                learn(r.childId(), r.nodeId());
    }

    /**
     * Whether a request sent to a route failed before any server ran it: the node the route names has left, so
     * its service could not be found. Only such a request is sent again (a call must not reach a child twice).
     */
    static boolean nodeGone(ClientException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String msg = String.valueOf(t.getMessage());
            if (msg.contains("Failed to find deployed service") || msg.contains("Cluster group is empty")
                || msg.contains("Service not found"))
                return true;
        }
        return false;
    }
}
