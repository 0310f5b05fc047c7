package io.processhub.ignite.service;

import io.processhub.client.ServiceReply;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Thin-client requests still running after one connector-thread hold ({@link #HOLD_MILLIS}), by ticket. Ignite 2.17
 * runs a thin client's service call synchronously on a client-connector thread, so a request that waits for the
 * cluster holds that thread: instead of holding it until done (a start can take its whole timeout), a request waits
 * at most one hold, then answers a ticket, and the client asks for the outcome with the ticket, each ask again
 * holding a thread at most one hold. A slow request then frees its thread for the requests queued behind it
 * at least once per hold. A request that finishes within the hold (reads, most calls and starts) costs one
 * round trip as before.
 *
 * <p>Tickets are this node's: the client asks the node that gave the ticket. An outcome nobody collects is dropped
 * {@link #UNCOLLECTED_MILLIS} after the request finished.
 */
final class Tickets {
    /** The longest a request, or an ask for its outcome, holds a client-connector thread. */
    static final long HOLD_MILLIS = 1_000;
    /** How long a finished request's outcome waits for its client. */
    static final long UNCOLLECTED_MILLIS = 60_000;

    private final AtomicLong nextTicket = new AtomicLong();
    private final ConcurrentHashMap<Long, CompletableFuture<ServiceReply<Object>>> running = new ConcurrentHashMap<>();
    private final UUID localNodeId;

    Tickets(UUID localNodeId) {
        this.localNodeId = localNodeId;
    }

    /** The request's reply if it arrives within one hold, else a pending reply with the ticket to ask with. */
    @SuppressWarnings("unchecked")
    <T> ServiceReply<T> answer(CompletableFuture<ServiceReply<T>> reply) {
        ServiceReply<T> done = awaitHold(reply);
        if (done != null)
            return done;
        long ticket = nextTicket.incrementAndGet();
        running.put(ticket, (CompletableFuture<ServiceReply<Object>>)(CompletableFuture<?>)reply);
        reply.whenComplete((r, e) -> CompletableFuture.delayedExecutor(UNCOLLECTED_MILLIS, TimeUnit.MILLISECONDS)
            .execute(() -> running.remove(ticket)));
        return ServiceReply.pending(ticket, localNodeId);
    }

    /** The outcome of the ticket's request if it arrives within one hold, else the same pending reply again. */
    ServiceReply<Object> collect(long ticket) {
        CompletableFuture<ServiceReply<Object>> reply = running.get(ticket);
        if (reply == null)
            return ServiceReply.failed(ServiceReply.Failure.FAILED, "no request with ticket " + ticket
                + " on this node: its outcome was collected already, or not within " + UNCOLLECTED_MILLIS + " ms");
        ServiceReply<Object> done = awaitHold(reply);
        if (done == null)
            return ServiceReply.pending(ticket, localNodeId);
        running.remove(ticket);
        return done;
    }

    private static <T> ServiceReply<T> awaitHold(CompletableFuture<ServiceReply<T>> reply) {
        try {
            return reply.get(HOLD_MILLIS, TimeUnit.MILLISECONDS);
        }
        catch (TimeoutException e) {
            return null;
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ServiceReply.failed(ServiceReply.Failure.FAILED, "interrupted while waiting for the hub");
        }
        catch (ExecutionException e) {
            // The replies are built by handle(): they do not fail.
            return ServiceReply.failed(ServiceReply.Failure.FAILED, String.valueOf(e.getCause()));
        }
    }
}
