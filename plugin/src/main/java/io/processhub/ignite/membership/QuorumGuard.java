package io.processhub.ignite.membership;

import io.processhub.ignite.HubContext;
import io.processhub.ignite.supervision.Supervisor;

import io.processhub.StopReason;
import io.processhub.hook.Hook;
import io.processhub.hook.QuorumEvent;
import io.processhub.strategy.Quorum;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * This node's quorum verdict for one hub. It asks the partition strategy's {@link Quorum} after every membership
 * change; when quorum is lost it closes the registry's write fence ({@code RegistryWriter}) and stops the local
 * children (the reconciler refuses to start anything while {@link HubContext#partitioned} is set), when it returns
 * the caller reconciles. Loop only.
 */
public final class QuorumGuard {
    private static final Logger LOG = LogManager.getLogger(QuorumGuard.class);

    private final HubContext hub;
    private final Quorum quorum;
    /**
     * Null on nodes that do not run the hub. Those do not know the hub's partition strategy (their view has the
     * default configuration), so their verdict is always "quorum": see {@code ProcessHub.isPartitioned}.
     */
    private final Supervisor supervisor;

    public QuorumGuard(HubContext hub, Supervisor supervisor) {
        this.hub = hub;
        this.supervisor = supervisor;
        this.quorum = hub.config.getPartitionToleranceStrategy().newQuorum();
    }

    /** The verdict at hub start, before anything runs: no hooks, nothing to stop. */
    public void init() {
        hub.view.setPartitioned(!quorum.hasQuorum(hub.membership().memberNames(), System.currentTimeMillis()));
        if (hub.view.isPartitioned())
            hub.fence.quorumLost();
    }

    /**
     * Takes the verdict for the current membership; on a change stops the local children or announces the regain.
     *
     * @return whether quorum was regained, i.e. the caller should reconcile
     */
    public boolean check() {
        List<String> members = hub.membership().memberNames();
        boolean partitioned = !quorum.hasQuorum(members, System.currentTimeMillis());
        if (partitioned == hub.view.isPartitioned())
            return false;
        // The fence first: from the verdict on, this side writes nothing, and what was in flight does not count.
        if (partitioned)
            hub.fence.quorumLost();
        else
            hub.fence.quorumRegained();
        hub.view.setPartitioned(partitioned);
        Hook hook = partitioned ? Hook.QUORUM_LOST : Hook.QUORUM_REGAINED;
        LOG.warn("Hub {} on {}: {} (members {})", hub.hubId, hub.localName,
            partitioned ? "quorum lost, stopping local children" : "quorum regained", members);
        if (partitioned && supervisor != null)
            supervisor.stopAll(StopReason.PARTITIONED);
        hub.hooks.fire(hook, () -> new QuorumEvent(hook, hub.hubId, hub.localName, members));
        return !partitioned;
    }

    /** The intended cluster size changed on purpose; the verdict is taken again. */
    public boolean resetClusterSize(int size) {
        quorum.resetClusterSize(size);
        LOG.info("Hub {} on {}: cluster size reset to {}", hub.hubId, hub.localName, size);
        return check();
    }
}
