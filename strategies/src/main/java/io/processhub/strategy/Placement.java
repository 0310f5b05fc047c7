package io.processhub.strategy;

import java.util.List;

/** Owners of children for one fixed membership. Immutable and safe to share between threads. */
public interface Placement {
    /** The members this placement was built for, sorted. */
    List<String> members();

    /** The first owner of a child: the node that runs it (or its active replica). */
    String owner(String childId);

    /**
     * Up to {@code copies} distinct owners of a child, first owner first. Asking for more copies than
     * there are members returns every member.
     */
    List<String> owners(String childId, int copies);

    /**
     * The owners of a child whose start request named its nodes ({@code mappedNodes}: its entry of the child mapping,
     * null if none was given). Only a {@link DistributionStrategy#usesChildMapping() guided} strategy uses the mapping; the
     * others place the child as {@link #owners(String, int)} does.
     */
    default List<String> owners(String childId, List<String> mappedNodes, int copies) {
        return owners(childId, copies);
    }
}
