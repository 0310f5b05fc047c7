package io.processhub;

import java.io.Serializable;

/**
 * Why one child could not be started or stopped on one node: ProcessHub's (child id, node, reason) triple
 * with a typed reason and a human-readable detail.
 */
public final class ChildError implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The typed reasons. */
    public enum Reason {
        /** The id is already running; {@link #existing()} is its ref. */
        ALREADY_STARTED,
        /** The class could not be created or its {@code start} threw; {@link #detail()} holds the cause. */
        START_FAILED,
        /**
         * The spec itself is wrong: null or blank id, unknown class, bad arguments; or its id appears more than once
         * in the batch (then the id gets this one error and none of its specs starts).
         */
        INVALID_SPEC,
        /**
         * No answer in time: the node that should answer did not within the timeout (or left first). It does not
         * mean the child did not start: under {@link StartOptions.OnFailure#CONTINUE} it may still start and register
         * once its owner gets to the request; under {@link StartOptions.OnFailure#ROLLBACK} a late start is refused
         * or stopped again, so nothing of the batch stays running.
         */
        NODE_TIMEOUT,
        /**
         * The hub on this side of a network split has no quorum: a start is refused; a stop of a child the node does
         * not run is not answered {@link #NOT_FOUND}, since the child may run on the other side.
         */
        PARTITIONED,
        /** The hub has fewer members than the child has replicas: no node to run this replica. */
        NO_OWNER,
        /** No child with this id is registered. */
        NOT_FOUND,
        /** The child was started, then stopped and unregistered again because the batch failed (ROLLBACK). */
        ROLLED_BACK,
        /** Guided distribution: the start request has no {@link StartOptions#childMapping child mapping}. */
        MISSING_CHILD_MAPPING,
        /** Guided distribution: the child mapping has no entry for this child. */
        CHILD_MAPPING_MISMATCH,
        /** Guided distribution: the child's mapping entry names a blank node or one node twice. */
        INVALID_CHILD_MAPPING,
        /** Guided distribution: the child's mapping entry names more or fewer nodes than the child has replicas. */
        CHILD_REPLICATION_MISMATCH,
        /** Guided distribution: the child's mapping entry names a node that is not a member of the hub. */
        UNKNOWN_NODE
    }

    private final String childId;
    private final String node;
    private final Reason reason;
    private final String detail;
    private final ChildRef existing;

    public ChildError(String childId, String node, Reason reason, String detail) {
        this(childId, node, reason, detail, null);
    }

    public ChildError(String childId, String node, Reason reason, String detail, ChildRef existing) {
        this.childId = childId;
        this.node = node;
        this.reason = reason;
        this.detail = detail;
        this.existing = existing;
    }

    /** The child id as given by the caller (may be null or blank for INVALID_SPEC). */
    public String childId() {
        return childId;
    }

    /** Consistent id of the node that reported the error, or null if no node was reached. */
    public String node() {
        return node;
    }

    public Reason reason() {
        return reason;
    }

    public String detail() {
        return detail;
    }

    /** For ALREADY_STARTED: the ref of the running child. */
    public ChildRef existing() {
        return existing;
    }

    @Override
    public String toString() {
        return "(" + childId + ", " + node + ", " + reason + ": " + detail + ')';
    }
}
