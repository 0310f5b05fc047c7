package io.processhub.client;

import io.processhub.ProcessHubException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.apache.ignite.IgniteException;
import org.apache.ignite.client.ClientException;

/**
 * Runs {@link ProcessHubService} requests for a {@link RemoteHub}: on the caller's thread, or on the client's
 * request pool (on the caller's thread after all if it waits for the future at once), asking for the outcome of a
 * request that answered a ticket until it has one, turning failed replies into their typed exceptions and Ignite's
 * own failures (connection lost, an argument the binary marshaller cannot write, a server-side error outside the hub)
 * into a {@link ProcessHubException} that names the request and keeps Ignite's exception as its cause.
 */
final class ServiceRequests {
    private final Executor executor;
    private final NodeServices nodes;

    ServiceRequests(Executor executor, NodeServices nodes) {
        this.executor = executor;
        this.nodes = nodes;
    }

    /** Runs the request now and answers its value. */
    <T> T sync(String operation, String hubId, Supplier<ServiceReply<T>> request) {
        ServiceReply<T> reply;
        try {
            reply = settled(request.get());
        }
        catch (ClientException | IgniteException e) {
            throw new ProcessHubException("thin-client request " + operation + " to hub " + hubId + " failed: "
                + e.getMessage(), e);
        }
        if (reply == null)
            throw new ProcessHubException("thin-client request " + operation + " to hub " + hubId + " got no reply");
        return reply.valueOrThrow();
    }

    /**
     * The reply itself, or for a pending one (a ticket) its outcome: asks the node that gave the ticket until it has
     * one. Ignite's failures pass through, as from the request.
     */
    @SuppressWarnings("unchecked")
    <T> ServiceReply<T> settled(ServiceReply<T> reply) {
        ServiceReply<T> res = reply;
        while (res != null && res.isPending())
            res = (ServiceReply<T>)nodes.on(res.ticketNode()).result(res.ticket());
        return res;
    }

    /**
     * Runs the request on the request pool, or on the thread that waits for it with {@code get()} or {@code join()}
     * if that comes first ({@link CallerRunsFuture}); the future fails with the exception {@link #sync} would throw.
     */
    <T> CompletableFuture<T> async(String operation, String hubId, Supplier<ServiceReply<T>> request) {
        return CallerRunsFuture.submit(() -> sync(operation, hubId, request), executor);
    }
}
