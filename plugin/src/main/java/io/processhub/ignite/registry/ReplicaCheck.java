package io.processhub.ignite.registry;

import io.processhub.ignite.HubContext;

import io.processhub.ChildRef;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Checks the replicas this node's registry copy lists where they should not be: on live nodes that no longer
 * own their child (children on the move), and on nodes that are gone. It follows them until none is left.
 *
 * <p>Such a replica blocks its child's start on the new owner (ColdSwap starts only once the old replica is
 * gone), so the local copy must not keep one the cache no longer has. That happened: a node joining under
 * 30,000 children kept a few dozen replicas whose removal it never saw, and never started those children (its
 * first snapshot of the registry was read from partitions still being rebalanced, fixed by SYNC rebalancing of
 * the registry cache). This check stays as the safety net for any event the local copy misses: after every full
 * pass that finds such replicas, they are read back from the cache in one batch and the local copy is
 * corrected, and the next full pass comes sooner (1 s, doubling up to the sync interval) until none is left.
 */
public final class ReplicaCheck {
    private static final long FIRST_DELAY_MILLIS = 1_000;

    private final HubContext hub;
    private final Runnable fullPass;
    private final long maxDelayMillis;
    /** Replica key → the ref the local copy holds, collected by the current full pass. */
    private final Map<String, Object> found = new HashMap<>();
    private long delayMillis = FIRST_DELAY_MILLIS;
    private final AtomicBoolean passScheduled = new AtomicBoolean();

    public ReplicaCheck(HubContext hub, Runnable fullPass) {
        this.hub = hub;
        this.fullPass = fullPass;
        this.maxDelayMillis = Math.max(FIRST_DELAY_MILLIS, hub.config.getSynchronizationStrategy().syncIntervalMillis());
    }

    /** A full pass saw this replica where it should not be. Loop only. */
    public void add(ChildRef ref) {
        found.put(RegistryKeys.replicaKey(ref.childId(), ref.nodeId()), ref);
    }

    /** The full pass is over: check what it found against the cache and schedule the next pass. Loop only. */
    public void passDone() {
        if (found.isEmpty()) {
            delayMillis = FIRST_DELAY_MILLIS;
            return;
        }
        Map<String, Object> believed = new HashMap<>(found);
        found.clear();
        RegistryRecheck.run(hub, believed);
        if (passScheduled.compareAndSet(false, true)) {
            hub.timer.schedule(() -> hub.loop.execute(() -> {
                passScheduled.set(false);
                fullPass.run();
            }), delayMillis, TimeUnit.MILLISECONDS);
            delayMillis = Math.min(delayMillis * 2, maxDelayMillis);
        }
    }
}
