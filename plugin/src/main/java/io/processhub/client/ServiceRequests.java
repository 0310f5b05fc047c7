package io.processhub.client;

import io.processhub.ProcessHubException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.apache.ignite.IgniteException;
import org.apache.ignite.client.ClientException;

/**
 * Runs {@link ProcessHubService} requests for a {@link RemoteHub}: on the caller's thread or on the client's
 * request pool, turning failed replies into their typed exceptions and Ignite's own failures (connection lost,
 * an argument the binary marshaller cannot write, a server-side error outside the hub) into a
 * {@link ProcessHubException} that names the request and keeps Ignite's exception as its cause.
 */
final class ServiceRequests {
    private final Executor executor;

    ServiceRequests(Executor executor) {
        this.executor = executor;
    }

    /** Runs the request now and answers its value. */
    <T> T sync(String operation, String hubId, Supplier<ServiceReply<T>> request) {
        ServiceReply<T> reply;
        try {
            reply = request.get();
        }
        catch (ClientException | IgniteException e) {
            throw new ProcessHubException("thin-client request " + operation + " to hub " + hubId + " failed: "
                + e.getMessage(), e);
        }
        if (reply == null)
            throw new ProcessHubException("thin-client request " + operation + " to hub " + hubId + " got no reply");
        return reply.valueOrThrow();
    }

    /** Runs the request on the request pool; the future fails with the exception {@link #sync} would throw. */
    <T> CompletableFuture<T> async(String operation, String hubId, Supplier<ServiceReply<T>> request) {
        return CompletableFuture.supplyAsync(() -> sync(operation, hubId, request), executor);
    }
}
