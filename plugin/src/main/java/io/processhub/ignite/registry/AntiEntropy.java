package io.processhub.ignite.registry;

import io.processhub.ignite.HubContext;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.ignite.cluster.ClusterNode;

/**
 * Finds batches this node never received although no later batch revealed the gap (the last ones a writer
 * published, or all of a writer's): every sync interval of the hub's {@code SynchronizationStrategy}, this node's
 * digest (the last seq applied per writer) is checked against the cache, one read per writer, O(writers) and not
 * O(children). What is found is read and applied ({@link Registry#catchUp}).
 */
public final class AntiEntropy {
    private final HubContext hub;
    private ScheduledFuture<?> task;

    public AntiEntropy(HubContext hub) {
        this.hub = hub;
    }

    public void start() {
        long interval = hub.config.getSynchronizationStrategy().syncIntervalMillis();
        task = hub.timer.scheduleWithFixedDelay(this::round, interval, interval, TimeUnit.MILLISECONDS);
    }

    private void round() {
        Set<UUID> writers = new HashSet<>();
        if (hub.membership() != null)
            for (ClusterNode n : hub.membership().nodes())
                writers.add(n.id());
        hub.registry.checkAgainstCache(writers);
    }

    public void stop() {
        if (task != null)
            task.cancel(false);
    }
}
