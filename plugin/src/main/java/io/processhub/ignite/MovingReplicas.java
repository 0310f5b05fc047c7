package io.processhub.ignite;

import io.processhub.ChildRef;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Follows the replicas that sit on live nodes no longer owning their child, i.e. children on the move, until
 * none is left.
 *
 * <p>Such a replica blocks its child's start on the new owner (ColdSwap starts only once the old replica is
 * gone), so the local copy must not keep one the cache no longer has. A continuous query can miss an event
 * while the topology changes: seen when a node joined while about 7,000 of 30,000 children moved, the joining
 * node kept a few dozen replicas whose removal it never received, and never started those children. So after
 * every full pass that found moving replicas, they are read back from the cache in one batch and the local copy
 * is corrected, and the next full pass comes sooner (1 s, doubling up to the sync interval) until the move is
 * over.
 */
final class MovingReplicas {
    private static final Logger LOG = LogManager.getLogger(MovingReplicas.class);
    private static final long FIRST_DELAY_MILLIS = 1_000;

    private final HubContext hub;
    private final Runnable fullPass;
    private final long maxDelayMillis;
    /** Replica key → the ref the local copy holds, collected by the current full pass. */
    private final Map<String, ChildRef> found = new HashMap<>();
    private long delayMillis = FIRST_DELAY_MILLIS;
    private final AtomicBoolean passScheduled = new AtomicBoolean();

    MovingReplicas(HubContext hub, Runnable fullPass) {
        this.hub = hub;
        this.fullPass = fullPass;
        this.maxDelayMillis = Math.max(FIRST_DELAY_MILLIS, hub.config.getSynchronizationStrategy().syncIntervalMillis());
    }

    /** A full pass saw this replica on a live node that does not own its child. Loop only. */
    void add(ChildRef ref) {
        found.put(RegistryKeys.replicaKey(ref.childId(), ref.nodeId()), ref);
    }

    /** The full pass is over: check what it found against the cache and schedule the next pass. Loop only. */
    void passDone() {
        if (found.isEmpty()) {
            delayMillis = FIRST_DELAY_MILLIS;
            return;
        }
        Map<String, ChildRef> believed = new HashMap<>(found);
        found.clear();
        hub.registry.read(believed.keySet()).whenComplete((actual, err) -> {
            if (err != null) {
                LOG.debug("Hub {} on {}: moving replicas not checked", hub.hubId, hub.localName, err);
                return;
            }
            hub.loop.execute(() -> {
                int corrected = hub.registry.correct(believed, actual);
                hub.metrics.registryCorrections.add(corrected);
                if (corrected > 0)
                    LOG.warn("Hub {} on {}: {} replicas of moving children were stale in the local registry copy, corrected "
                        + "from the cache", hub.hubId, hub.localName, corrected);
            });
        });
        if (passScheduled.compareAndSet(false, true)) {
            hub.timer.schedule(() -> hub.loop.execute(() -> {
                passScheduled.set(false);
                fullPass.run();
            }), delayMillis, TimeUnit.MILLISECONDS);
            delayMillis = Math.min(delayMillis * 2, maxDelayMillis);
        }
    }
}
