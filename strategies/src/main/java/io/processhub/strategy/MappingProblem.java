package io.processhub.strategy;

/** Why the nodes a start request names for a child (its child mapping entry) cannot be used: ProcessHub's errors. */
public final class MappingProblem {
    /** The kinds of problem, after ProcessHub's {@code children_init} errors of {@code Distribution.Guided}. */
    public enum Kind {
        /** The request has no child mapping at all (ProcessHub's {@code missing_child_mapping}). */
        MISSING_MAPPING,
        /** The mapping has no entry for this child (ProcessHub's {@code child_mapping_mismatch}). */
        CHILD_NOT_MAPPED,
        /** The entry names a blank node, or one node twice (ProcessHub's {@code invalid_child_mapping}). */
        INVALID_NODES,
        /** The entry names more or fewer nodes than the child has replicas (ProcessHub's {@code child_replication_mismatch}). */
        REPLICATION_MISMATCH,
        /** The entry names a node that is not a member of the hub. */
        UNKNOWN_NODE
    }

    private final Kind kind;
    private final String detail;

    public MappingProblem(Kind kind, String detail) {
        this.kind = kind;
        this.detail = detail;
    }

    public Kind kind() {
        return kind;
    }

    public String detail() {
        return detail;
    }

    @Override
    public String toString() {
        return kind + ": " + detail;
    }
}
