package io.processhub.ignite.membership;

import io.processhub.ignite.HubContext;
import io.processhub.ignite.registry.RegistryIndex;

import io.processhub.DrainException;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.ignite.lang.IgniteFuture;

/**
 * Waits, for a drain's caller, until the drained node runs none of the hub's children: asks it
 * ({@link DrainProgress}) every {@link #POLL_MILLIS} until it answers none, then until this node's registry copy shows
 * none of its replicas either (so the caller's next reads agree). Fails if the node leaves or is undrained first
 * (as the node itself sees it: see DrainProgress).
 */
public final class DrainWatch {
    static final long POLL_MILLIS = 200;

    private final HubContext hub;
    private final String name;
    private final UUID nodeId;
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    private DrainWatch(HubContext hub, String name, UUID nodeId) {
        this.hub = hub;
        this.name = name;
        this.nodeId = nodeId;
    }

    /** Completes once the node {@code nodeId} (named {@code name}), draining, has no child of the hub left. */
    public static CompletableFuture<Void> until(HubContext hub, String name, UUID nodeId) {
        DrainWatch w = new DrainWatch(hub, name, nodeId);
        w.poll();
        return w.done;
    }

    private void poll() {
        if (!hub.isAlive(nodeId)) {
            done.completeExceptionally(new DrainException(DrainException.Reason.NODE_LEFT, name
                + " left the cluster before it was drained: its children moved as for any leave"));
            return;
        }
        IgniteFuture<Integer> remaining;
        try {
            remaining = hub.ignite.compute(hub.ignite.cluster().forNodeId(nodeId)).withNoFailover()
                .callAsync(new DrainProgress(hub.hubId));
        }
        catch (RuntimeException e) {
            next(); // the node is leaving or the request could not go: the next poll tells
            return;
        }
        remaining.listen(f -> {
            Integer left;
            try {
                left = f.get();
            }
            catch (RuntimeException e) {
                left = null;
            }
            if (left != null && left == DrainProgress.NOT_DRAINING)
                done.completeExceptionally(new DrainException(DrainException.Reason.UNDRAINED, name
                    + " was undrained before it was empty"));
            else if (left != null && left == 0 && !registeredThere())
                done.complete(null);
            else
                next();
        });
    }

    private void next() {
        try {
            hub.timer.schedule(this::poll, POLL_MILLIS, TimeUnit.MILLISECONDS);
        }
        catch (RuntimeException e) { // the timer is shut down: this node is stopping
            done.completeExceptionally(e);
        }
    }

    /** Whether this node's registry copy still shows a replica on the drained node. */
    private boolean registeredThere() {
        for (String id : hub.index.childIds()) {
            RegistryIndex.Entry e = hub.index.get(id);
            if (e != null && e.hasRefOn(nodeId))
                return true;
        }
        return false;
    }
}
