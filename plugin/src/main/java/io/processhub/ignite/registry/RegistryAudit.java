package io.processhub.ignite.registry;

import io.processhub.ignite.HubContext;

import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Compares this node's whole registry copy with the cache a while after the hub opens and after every membership
 * change, when a missed registry event is most likely, and corrects it (see {@link Registry#correct}: stale
 * entries are removed or replaced, missed replicas added). A safety net: the one cause measured (a joining node's first snapshot
 * read from partitions still being rebalanced) is fixed at its source, by SYNC rebalancing of the registry cache.
 * The differing keys are read again before anything is corrected, and an entry the continuous query changed
 * meanwhile is left alone, so an event merely in flight during the scan changes nothing.
 */
public final class RegistryAudit {
    private static final Logger LOG = LogManager.getLogger(RegistryAudit.class);
    /** After a change: once when it should have settled, once more for the stragglers. */
    private static final long[] DELAYS_MILLIS = {2_000, 8_000};

    private final HubContext hub;
    /** Runs the scan, which blocks: never Ignite's threads, the loop or the timer. */
    private final Executor scanner;
    /** Audits of an older change give way to those of a newer one. */
    private final AtomicLong change = new AtomicLong();

    public RegistryAudit(HubContext hub, Executor scanner) {
        this.hub = hub;
        this.scanner = scanner;
    }

    /** The hub opened or its membership changed: audit soon. Any thread. */
    public void schedule() {
        long current = change.incrementAndGet();
        for (long delay : DELAYS_MILLIS)
            hub.timer.schedule(() -> {
                if (current == change.get())
                    scanner.execute(this::audit);
            }, delay, TimeUnit.MILLISECONDS);
    }

    private void audit() {
        hub.registry.beginAudit();
        Map<String, Object> believed;
        try {
            believed = hub.registry.differences();
        }
        catch (RuntimeException e) {
            hub.registry.endAudit();
            LOG.debug("Hub {} on {}: registry audit not finished (the node is stopping?)", hub.hubId, hub.localName, e);
            return;
        }
        if (believed.isEmpty()) {
            hub.registry.endAudit();
            return;
        }
        RegistryRecheck.run(hub, believed).whenComplete((v, e) -> hub.registry.endAudit());
    }
}
