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
     * Empties a member before it is taken down: it stops taking placements (no new start lands on it), its children
     * move to their next owners on the ring, with their state where the migration strategy hands over (HotSwap), as
     * they would if it left gracefully; no other child moves. The node stays a member (it counts for quorum and is
     * listed by {@link #nodes()}) until it leaves, and is reported as draining (hooks {@code NODE_DRAINING} and
     * {@code NODE_UNDRAINED}, the metric {@code draining}, the column {@code DRAINING} of {@code SYS.PROCESSHUB_HUBS}).
     * The drain is cluster-wide: it outlives the node that asked, and nodes that join later see it. A draining node
     * that leaves is no longer draining (if it comes back, it takes children again). Draining a node that is
     * draining already only waits for it.
     *
     * @param node the member's consistent id, as {@link #nodes()} lists it
     * @return completes once the node runs none of the hub's children (and this node's registry copy shows none
     *     there); fails with {@link DrainException}: at once, changing nothing, for an unknown node
     *     ({@code UNKNOWN_NODE}), a client node ({@code CLIENT_NODE}), a server that does not run the hub
     *     ({@code NOT_A_MEMBER}), the last member that is not draining ({@code LAST_NODE}), a hub with a guided
     *     distribution ({@code GUIDED_DISTRIBUTION}); later if the node leaves ({@code NODE_LEFT}) or is undrained
     *     ({@code UNDRAINED}) before it is empty. {@link IllegalArgumentException} for a null or blank node.
     */
    CompletableFuture<Void> drain(String node);

    /**
     * Ends the drain of a member: it takes placements again and the ring gives it back its children (moved with
     * their state under HotSwap). Undraining a node that is not draining does nothing.
     *
     * @return completes once the change is recorded cluster-wide; fails with {@link DrainException} for an unknown
     *     node, a client node or a server that does not run the hub
     */
    CompletableFuture<Void> undrain(String node);

    /** Consistent ids of the members being drained, sorted; empty if none. Local read. */
    List<String> drainingNodes();

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
