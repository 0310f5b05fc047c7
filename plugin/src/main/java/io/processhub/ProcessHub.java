package io.processhub;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One hub as seen from one node. Start and stop requests go to the children's owners and complete their
 * futures with per-child results; registry reads are local map reads and never touch the network.
 */
public interface ProcessHub {
    String hubId();

    /** Starts one child with default options. */
    default CompletableFuture<StartResult> startChild(ChildSpec spec) {
        return startChildren(List.of(spec), StartOptions.defaults());
    }

    default CompletableFuture<StartResult> startChild(ChildSpec spec, StartOptions options) {
        return startChildren(List.of(spec), options);
    }

    /**
     * Starts children on their owners: one request per owner node. Bad specs (null or blank id, the same id
     * twice, unknown class, a constructor or {@code start} that throws) become errors of the result; the
     * future itself only fails for a null argument.
     */
    CompletableFuture<StartResult> startChildren(Collection<ChildSpec> specs, StartOptions options);

    default CompletableFuture<StopResult> stopChild(String childId) {
        return stopChildren(List.of(childId), StopOptions.defaults());
    }

    default CompletableFuture<StopResult> stopChild(String childId, StopOptions options) {
        return stopChildren(List.of(childId), options);
    }

    /** Stops children wherever they run and unregisters them; unknown ids are NOT_FOUND errors. */
    CompletableFuture<StopResult> stopChildren(Collection<String> childIds, StopOptions options);

    /** The registry's entry for a child: spec, metadata and running replicas. Local read. */
    Optional<ChildInfo> lookup(String childId);

    /** Refs of a child's running replicas (empty if unknown). Local read. */
    List<ChildRef> refs(String childId);

    /** The active replica of a child. Local read. */
    Optional<ChildRef> activeRef(String childId);

    /** Every child of the hub. Local read. */
    List<ChildInfo> children();

    /** Refs of the children running on this node. Local read. */
    List<ChildRef> localChildren();

    /** Children whose metadata has {@code tag} under the key {@code "tag"}. Local read. */
    List<ChildInfo> tagQuery(String tag);

    /** Refs of the children running on this node ({@link Scope#LOCAL}) or everywhere ({@link Scope#GLOBAL}). */
    List<ChildRef> whichChildren(Scope scope);

    /** Consistent ids of the hub's member nodes, sorted. */
    List<String> nodes();

    /**
     * Whether this side of the cluster lacks quorum and refuses to run children. Known only by the hub's members:
     * on a node that does not run the hub it is always false (starts it forwards are still refused by members).
     */
    boolean isPartitioned();

    /** Whether this node is handling a topology change right now. */
    boolean isLocked();

    /**
     * Tells every member's quorum that the intended cluster size is now {@code size}: with {@code MajorityQuorum},
     * the way to shrink a cluster on purpose (otherwise the smaller cluster counts as a minority and stops its
     * children). A member that regains quorum by it restarts its children at once.
     *
     * @return completes when every member applied it; fails with {@link UnsupportedOperationException} if the
     *     hub's partition strategy has no cluster size, {@link IllegalArgumentException} if {@code size < 1}
     */
    CompletableFuture<Void> resetClusterSize(int size);

    /**
     * Sends a message to the child's active replica and completes with its reply. Fails with
     * {@link NoSuchChildException} if no replica is registered, {@link CallTimeoutException} after
     * {@code timeout}, {@link ChildCallException} if the handler threw.
     */
    CompletableFuture<Object> call(String childId, Object message, Duration timeout);

    /** Sends a message to the child's active replica without waiting for anything. */
    void cast(String childId, Object message);

    /** The hook handlers of this hub on this node: register and cancel them at run time. */
    io.processhub.hook.Hooks hooks();
}
