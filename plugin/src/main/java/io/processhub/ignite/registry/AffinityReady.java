package io.processhub.ignite.registry;

import io.processhub.ignite.HubContext;

import org.apache.ignite.internal.IgniteEx;
import org.apache.ignite.internal.IgniteInternalFuture;
import org.apache.ignite.internal.processors.affinity.AffinityTopologyVersion;

/**
 * Holds a cache read back until the caches' affinity has caught up with the topology this node already sees.
 *
 * <p>Right after a node fails, Ignite maps a read on the last <em>ready</em> affinity version, in which the dead
 * node may still be a primary (reads go to primaries: {@code readFromBackup=false}); the read is sent there,
 * fails with "node left topology", Ignite logs that as an ERROR with a stack trace, then remaps it. Waiting for
 * the partition exchange of the current version first sends the read to a live primary at once.
 */
final class AffinityReady {
    private AffinityReady() {
    }

    /** Runs {@code read} now if the affinity is ready, otherwise on the hub loop once it is (never on Ignite's exchange thread). */
    static void thenRun(HubContext hub, Runnable read) {
        IgniteInternalFuture<?> ready;
        try {
            AffinityTopologyVersion current = new AffinityTopologyVersion(hub.ignite.cluster().topologyVersion());
            ready = ((IgniteEx)hub.ignite).context().cache().context().exchange().affinityReadyFuture(current);
        }
        catch (RuntimeException e) {
            read.run(); // the node is stopping: the read fails on its own, as before
            return;
        }
        if (ready.isDone())
            read.run();
        else
            ready.listen(() -> {
                if (!hub.loop.execute(read))
                    read.run(); // the hub is stopping: the read fails fast on the closed registry
            });
    }
}
