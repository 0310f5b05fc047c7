package io.processhub.ignite.registry;

import io.processhub.ignite.HubContext;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The shared end of {@link ReplicaCheck} and {@link RegistryAudit}: reads the suspect keys again from the cache in
 * one batch, corrects the local registry copy on the hub loop ({@link Registry#correct}), counts and logs it.
 */
public final class RegistryRecheck {
    private static final Logger LOG = LogManager.getLogger(RegistryRecheck.class);

    private RegistryRecheck() {
    }

    /**
     * @param believed registry key → what the local copy held when it was found suspect (null: nothing)
     * @return completes once the correction ran, or will not run (read failed, hub stopping)
     */
    public static CompletableFuture<Void> run(HubContext hub, Map<String, Object> believed) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        AffinityReady.thenRun(hub, () -> hub.registry.read(believed.keySet()).whenComplete((actual, err) -> {
            if (err != null) {
                LOG.debug("Hub {} on {}: registry copy not checked", hub.hubId, hub.localName, err);
                done.complete(null);
                return;
            }
            boolean queued = hub.loop.execute(() -> {
                try {
                    int corrected = hub.registry.correct(believed, actual);
                    hub.metrics.registryCorrections.add(corrected);
                    if (corrected > 0)
                        LOG.warn("Hub {} on {}: {} children were out of date in the local registry copy (a missed registry "
                            + "event), corrected from the cache", hub.hubId, hub.localName, corrected);
                }
                finally {
                    done.complete(null);
                }
            });
            if (!queued)
                done.complete(null);
        }));
        return done;
    }
}
