package io.processhub.client;

import io.processhub.CallTimeoutException;
import io.processhub.ChildCallException;
import io.processhub.DrainException;
import io.processhub.MailboxFullException;
import io.processhub.NoSuchChildException;
import io.processhub.ProcessHubException;
import io.processhub.UnknownHubException;
import java.util.UUID;

/**
 * What a {@link ProcessHubService} method answers: a value, or a typed failure with the server's explanation.
 * Failures travel as data rather than as exceptions because Ignite hands a thin client a server exception only
 * as the text of a {@code ClientException}, which loses its type.
 *
 * @param <T> the type of the value
 */
public final class ServiceReply<T> {
    /** Why a request failed; each maps to the exception {@link #valueOrThrow()} throws. */
    public enum Failure {
        /** No node of the cluster runs the hub: {@link UnknownHubException}. */
        UNKNOWN_HUB,
        /** No running child has the id: {@link NoSuchChildException}. */
        NO_SUCH_CHILD,
        /** The child did not answer in time: {@link CallTimeoutException}. */
        CALL_TIMEOUT,
        /** The child's handler threw: {@link ChildCallException}. */
        CHILD_CALL_FAILED,
        /** The child's mailbox was full: {@link MailboxFullException}. */
        MAILBOX_FULL,
        /** An argument was missing or wrong: {@link IllegalArgumentException}. */
        BAD_ARGUMENT,
        /** Anything else: {@link ProcessHubException}. */
        FAILED,
        /**
         * Not a failure: the request still runs after the longest a request holds a server thread. Ask the node
         * {@link #ticketNode()} for its outcome with {@link ProcessHubService#result}{@code (ticket())}.
         */
        PENDING,
        /** A drain or undrain was refused or ended early: {@link DrainException}, its reason first in the message. */
        DRAIN_REFUSED
    }

    private final T value;
    private final Failure failure;
    private final String message;
    /**
     * For a call: the node that runs the child's active replica, as the handling node sees it. For a
     * {@link Failure#PENDING} reply: the node to ask for the outcome. Else null.
     */
    private final UUID route;
    /** For a {@link Failure#PENDING} reply: the ticket to ask for the outcome with; else 0. */
    private final long ticket;

    private ServiceReply(T value, Failure failure, String message, UUID route, long ticket) {
        this.value = value;
        this.failure = failure;
        this.message = message;
        this.route = route;
        this.ticket = ticket;
    }

    /** A successful reply. */
    public static <T> ServiceReply<T> ok(T value) {
        return new ServiceReply<>(value, null, null, null, 0);
    }

    /** A successful reply to a call, naming the node that runs the child's active replica (null: unknown). */
    public static <T> ServiceReply<T> ok(T value, UUID route) {
        return new ServiceReply<>(value, null, null, route, 0);
    }

    /** A failed reply. */
    public static <T> ServiceReply<T> failed(Failure failure, String message) {
        return new ServiceReply<>(null, failure, message, null, 0);
    }

    /** The reply of a request that still runs: ask {@code node} for its outcome with {@code ticket}. */
    public static <T> ServiceReply<T> pending(long ticket, UUID node) {
        return new ServiceReply<>(null, Failure.PENDING, null, node, ticket);
    }

    /** This reply naming the node a thin client should send the child's next calls to (null: unknown). */
    public ServiceReply<T> withRoute(UUID node) {
        return new ServiceReply<>(value, failure, message, node, ticket);
    }

    /** Whether the request still runs (see {@link Failure#PENDING}). */
    public boolean isPending() {
        return failure == Failure.PENDING;
    }

    /** For a pending reply: the ticket to ask its node for the outcome with. */
    public long ticket() {
        return ticket;
    }

    /** For a pending reply: the node that holds the ticket. */
    public UUID ticketNode() {
        return route;
    }

    /** For a call: the id of the node running the child's active replica when the call was handled, or null. */
    public UUID route() {
        return route;
    }

    /** The value; null for a failed reply and for replies that carry none. */
    public T value() {
        return value;
    }

    /** Why the request failed, or null if it did not. */
    public Failure failure() {
        return failure;
    }

    /** The server's explanation of the failure, or null. */
    public String message() {
        return message;
    }

    /** The value, or the typed exception the failure stands for. */
    public T valueOrThrow() {
        if (failure == null)
            return value;
        switch (failure) {
            case UNKNOWN_HUB:
                throw new UnknownHubException(message);
            case NO_SUCH_CHILD:
                throw new NoSuchChildException(message);
            case CALL_TIMEOUT:
                throw new CallTimeoutException(message);
            case CHILD_CALL_FAILED:
                throw new ChildCallException(message);
            case MAILBOX_FULL:
                throw new MailboxFullException(message);
            case BAD_ARGUMENT:
                throw new IllegalArgumentException(message);
            case DRAIN_REFUSED:
                throw DrainException.fromWire(message);
            case PENDING:
                throw new IllegalStateException("the request still runs: ask for its outcome with ticket " + ticket);
            default:
                throw new ProcessHubException(message);
        }
    }

    @Override
    public String toString() {
        return failure == null ? "ServiceReply[" + value + ']' : "ServiceReply[" + failure + ": " + message + ']';
    }
}
