package io.processhub.ignite;

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
final class Messages {
    private Messages() {
    }

    /**
     * Start these replicas: {@code specs[i]} on its owner number {@code replicas[i]} (0 = first owner). The
     * receiver forwards those it does not own.
     */
    static final class StartRequest {
        final long requestId;
        final UUID origin;
        final ArrayList<ChildSpec> specs;
        final ArrayList<Integer> replicas;
        final boolean checkExisting;
        final int hops;

        StartRequest(long requestId, UUID origin, List<StartItem> items, boolean checkExisting, int hops) {
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
        }

        List<StartItem> items() {
            List<StartItem> res = new ArrayList<>(specs.size());
            for (int i = 0; i < specs.size(); i++)
                res.add(new StartItem(specs.get(i), replicas.get(i)));
            return res;
        }
    }

    /** Refs started and errors, each with the replica index it answers. */
    static final class StartReply {
        final long requestId;
        final ArrayList<ChildRef> started;
        final ArrayList<Integer> startedReplicas;
        final ArrayList<ChildError> errors;
        final ArrayList<Integer> errorReplicas;

        StartReply(long requestId, BatchResult result) {
            this.requestId = requestId;
            this.started = new ArrayList<>(result.started);
            this.startedReplicas = new ArrayList<>(result.startedReplicas);
            this.errors = new ArrayList<>(result.errors);
            this.errorReplicas = new ArrayList<>(result.errorReplicas);
        }
    }

    /** Stop these children (the receiver forwards those another live node runs). */
    static final class StopRequest {
        final long requestId;
        final UUID origin;
        final ArrayList<String> childIds;
        final int hops;

        StopRequest(long requestId, UUID origin, List<String> childIds, int hops) {
            this.requestId = requestId;
            this.origin = origin;
            this.childIds = new ArrayList<>(childIds);
            this.hops = hops;
        }
    }

    static final class StopReply {
        final long requestId;
        final String node;
        final ArrayList<String> stopped;
        final ArrayList<ChildError> errors;

        StopReply(long requestId, String node, List<String> stopped, List<ChildError> errors) {
            this.requestId = requestId;
            this.node = node;
            this.stopped = new ArrayList<>(stopped);
            this.errors = new ArrayList<>(errors);
        }
    }

    /** A message for a child; {@code requestId} 0 is a cast (no reply). */
    static final class CallRequest {
        final long requestId;
        final UUID origin;
        final String childId;
        final Object message;

        CallRequest(long requestId, UUID origin, String childId, Object message) {
            this.requestId = requestId;
            this.origin = origin;
            this.childId = childId;
            this.message = message;
        }
    }

    static final class CallReply {
        /** Why a call failed on the child's node. */
        enum Failure { NONE, NO_SUCH_CHILD, HANDLER_FAILED }

        final long requestId;
        final Object value;
        final Failure failure;
        final String detail;

        CallReply(long requestId, Object value, Failure failure, String detail) {
            this.requestId = requestId;
            this.value = value;
            this.failure = failure;
            this.detail = detail;
        }
    }

    /** States of children moving to the receiver (HotSwap handover); answered with a CallReply. */
    static final class HandoverRequest {
        final long requestId;
        final UUID origin;
        final String from;
        final ArrayList<String> childIds;
        final ArrayList<Object> states;

        HandoverRequest(long requestId, UUID origin, String from, List<String> childIds, List<Object> states) {
            this.requestId = requestId;
            this.origin = origin;
            this.from = from;
            this.childIds = new ArrayList<>(childIds);
            this.states = new ArrayList<>(states);
        }
    }
}
