package io.processhub.client;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.ignite.client.IgniteClient;

/**
 * One {@link ProcessHubService} proxy per server node, bound to that node with Ignite's thin-client cluster group
 * ({@code forNodeIds}), which Ignite's service awareness sends straight to the node: for calls routed to a child's
 * node ({@link ChildRoutes}) and for asking a node for the outcome of a request it answered with a ticket.
 */
final class NodeServices {
    private final IgniteClient client;
    private final ConcurrentHashMap<UUID, ProcessHubService> byNode = new ConcurrentHashMap<>();

    NodeServices(IgniteClient client) {
        this.client = client;
    }

    /** The service of this node. */
    ProcessHubService on(UUID node) {
        return byNode.computeIfAbsent(node, n -> client.services(client.cluster().forNodeIds(List.of(n)))
            .serviceProxy(ProcessHubService.NAME, ProcessHubService.class));
    }
}
