package io.processhub.client;

import io.processhub.ProcessHubException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.apache.ignite.IgniteException;
import org.apache.ignite.client.ClientException;

/**
 * Runs {@link ProcessHubService} requests for a {@link RemoteHub}: on the caller's thread or on the client's
 * request pool, asking for the outcome of a request that answered a ticket until it has one, turning failed replies into their typed exceptions and Ignite's own failures (connection lost,
 * an argument the binary marshaller cannot write, a server-side error outside the hub) into a
 * {@link ProcessHubException} that names the request and keeps Ignite's exception as its cause.
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
            reply = request.get();
            while (reply != null && reply.isPending())
                reply = outcome(reply);
        }
        catch (ClientException | IgniteException e) {
            throw new ProcessHubException("thin-client request " + operation + " to hub " + hubId + " failed: "
                + e.getMessage(), e);
        }
        if (reply == null)
            throw new ProcessHubException("thin-client request " + operation + " to hub " + hubId + " got no reply");
        return reply.valueOrThrow();
    }

    /** Asks the node that answered a ticket for the request's outcome (again a ticket while it still runs). */
    @SuppressWarnings("unchecked")
    private <T> ServiceReply<T> outcome(ServiceReply<T> pending) {
        return (ServiceReply<T>)nodes.on(pending.ticketNode()).result(pending.ticket());
    }

    /** Runs the request on the request pool; the future fails with the exception {@link #sync} would throw. */
    <T> CompletableFuture<T> async(String operation, String hubId, Supplier<ServiceReply<T>> request) {
        return CompletableFuture.supplyAsync(() -> sync(operation, hubId, request), executor);
    }
}
