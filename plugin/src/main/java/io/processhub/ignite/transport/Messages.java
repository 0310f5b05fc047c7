package io.processhub.ignite.transport;

import io.processhub.ignite.supervision.BatchResult;
import io.processhub.ignite.supervision.StartItem;

import io.processhub.ChildError;
import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The node-to-node messages of one hub. Plain classes (Ignite cannot marshal records); one message per
 * target node per request, never one per child.
 */
public final class Messages {
    private Messages() {
    }

    /**
     * Start these replicas: {@code specs[i]} on its owner number {@code replicas[i]} (0 = first owner). The
     * receiver forwards those it does not own.
     */
    public static final class StartRequest {
        public final long requestId;
        public final UUID origin;
        public final ArrayList<ChildSpec> specs;
        public final ArrayList<Integer> replicas;
        public final boolean checkExisting;
        public final int hops;
        /**
         * For a ROLLBACK batch, the caller's deadline (its clock, epoch millis): a node the request reaches later
         * refuses it instead of starting children the caller already gave up on. 0: a CONTINUE batch, no deadline.
         */
        public final long rollbackDeadline;

        public StartRequest(long requestId, UUID origin, List<StartItem> items, boolean checkExisting, int hops,
            long rollbackDeadline) {
            this.requestId = requestId;
            this.origin = origin;
            this.specs = new ArrayList<>(items.size());
            this.replicas = new ArrayList<>(items.size());
            for (StartItem item : items) {
                specs.add(item.spec);
                replicas.add(item.replica);
            }
            this.checkExisting = checkExisting;
            this.hops = hops;
            this.rollbackDeadline = rollbackDeadline;
        }

        public boolean isRollback() {
            return rollbackDeadline != 0;
        }

        public List<StartItem> items() {
            List<StartItem> res = new ArrayList<>(specs.size());
            for (int i = 0; i < specs.size(); i++)
                res.add(new StartItem(specs.get(i), replicas.get(i)));
            return res;
        }
    }

    /** Refs started and errors, each with the replica index it answers. */
    public static final class StartReply {
        public final long requestId;
        public final ArrayList<ChildRef> started;
        public final ArrayList<Integer> startedReplicas;
        public final ArrayList<ChildError> errors;
        public final ArrayList<Integer> errorReplicas;

        public StartReply(long requestId, BatchResult result) {
            this.requestId = requestId;
            this.started = new ArrayList<>(result.started);
            this.startedReplicas = new ArrayList<>(result.startedReplicas);
            this.errors = new ArrayList<>(result.errors);
            this.errorReplicas = new ArrayList<>(result.errorReplicas);
        }
    }

    /** Stop these children (the receiver forwards those another live node runs). */
    public static final class StopRequest {
        public final long requestId;
        public final UUID origin;
        public final ArrayList<String> childIds;
        public final int hops;

        public StopRequest(long requestId, UUID origin, List<String> childIds, int hops) {
            this.requestId = requestId;
            this.origin = origin;
            this.childIds = new ArrayList<>(childIds);
            this.hops = hops;
        }
    }

    public static final class StopReply {
        public final long requestId;
        public final String node;
        public final ArrayList<String> stopped;
        public final ArrayList<ChildError> errors;

        public StopReply(long requestId, String node, List<String> stopped, List<ChildError> errors) {
            this.requestId = requestId;
            this.node = node;
            this.stopped = new ArrayList<>(stopped);
            this.errors = new ArrayList<>(errors);
        }
    }

    /**
     * The caller rolls back the ROLLBACK batch {@code batchId} it sent: stop and unregister what the batch started
     * here, refuse what of it arrives later, and pass this on to the nodes the batch was forwarded to.
     */
    public static final class AbortStart {
        public final long requestId;
        public final UUID origin;
        public final long batchId;

        public AbortStart(long requestId, UUID origin, long batchId) {
            this.requestId = requestId;
            this.origin = origin;
            this.batchId = batchId;
        }
    }

    /** The children of an aborted batch one node stopped. */
    public static final class AbortReply {
        public final long requestId;
        public final String node;
        public final ArrayList<String> stopped;

        public AbortReply(long requestId, String node, List<String> stopped) {
            this.requestId = requestId;
            this.node = node;
            this.stopped = new ArrayList<>(stopped);
        }
    }

    /** A message for a child; {@code requestId} 0 is a cast (no reply). */
    public static final class CallRequest {
        public final long requestId;
        public final UUID origin;
        public final String childId;
        public final Object message;

        public CallRequest(long requestId, UUID origin, String childId, Object message) {
            this.requestId = requestId;
            this.origin = origin;
            this.childId = childId;
            this.message = message;
        }
    }

    /**
     * Casts a node held for a child it could not hand them to (see CastRelay), in the order it got them; the receiver
     * delivers them in that order. No reply.
     */
    public static final class HeldCasts {
        public final UUID from;
        public final String childId;
        public final List<Object> messages;
        /** How many nodes passed them on so far (the most of any of them). */
        public final int hops;

        public HeldCasts(UUID from, String childId, List<Object> messages, int hops) {
            this.from = from;
            this.childId = childId;
            this.messages = new ArrayList<>(messages);
            this.hops = hops;
        }
    }

    /**
     * To a node that sent casts: per child, the numbering ({@code streams[i]}) and the seq up to which the child has
     * every cast of it; the sender forgets them (else it sends them again). On the reply topic: any node may cast.
     */
    public static final class CastsHandled {
        public final ArrayList<String> childIds;
        public final long[] streams;
        public final long[] seqs;

        public CastsHandled(List<String> childIds, long[] streams, long[] seqs) {
            this.childIds = new ArrayList<>(childIds);
            this.streams = streams;
            this.seqs = seqs;
        }
    }

    public static final class CallReply {
        /** Why a call failed on the child's node. */
        public enum Failure { NONE, NO_SUCH_CHILD, NOT_ACTIVE, HANDLER_FAILED, MAILBOX_FULL }

        public final long requestId;
        public final Object value;
        public final Failure failure;
        public final String detail;

        public CallReply(long requestId, Object value, Failure failure, String detail) {
            this.requestId = requestId;
            this.value = value;
            this.failure = failure;
            this.detail = detail;
        }
    }

    /** States of children moving to the receiver (HotSwap handover); answered with a CallReply. */
    public static final class HandoverRequest {
        public final long requestId;
        public final UUID origin;
        public final String from;
        public final ArrayList<String> childIds;
        public final ArrayList<Object> states;

        public HandoverRequest(long requestId, UUID origin, String from, List<String> childIds, List<Object> states) {
            this.requestId = requestId;
            this.origin = origin;
            this.from = from;
            this.childIds = new ArrayList<>(childIds);
            this.states = new ArrayList<>(states);
        }
    }

    /**
     * The sender demoted these replicas of its own ({@code refs}: the active refs they had) for the receiver, their
     * first owner, which may promote its replicas at once instead of waiting for the registry to show the
     * demotions. {@code states[i]} is what the replica held when it was demoted (null: no state handed over).
     * Not answered: the registry events that follow are the fallback.
     */
    public static final class Released {
        public final UUID origin;
        public final String from;
        public final ArrayList<ChildRef> refs;
        public final ArrayList<Object> states;

        public Released(UUID origin, String from, List<ChildRef> refs, List<Object> states) {
            this.origin = origin;
            this.from = from;
            this.refs = new ArrayList<>(refs);
            this.states = new ArrayList<>(states);
        }
    }
}
