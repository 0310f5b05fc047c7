package io.processhub.ignite.supervision;

import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where the supervisor records what runs on this node (the registry, in a running hub). The supervisor says
 * what happened to its children; how that is stored is not its business.
 */
public interface ChildRecords {
    /**
     * Children that started here: the refs of this node's replicas, and the specs of those a request started here
     * (a replica the reconciler started has its spec recorded already). Completes once stored, exceptionally if the
     * write failed.
     */
    CompletableFuture<?> registered(List<ChildSpec> specs, List<ChildRef> refs);

    /** A child that runs here has a new ref: it was restarted, or its role changed. */
    void reregistered(ChildRef ref);

    /**
     * Children that stopped here: their replica records on this node go; with {@code retire} their specs too
     * (they are to run nowhere). Completes once stored, exceptionally if the write failed.
     */
    CompletableFuture<?> unregistered(Collection<String> childIds, boolean retire);
}
