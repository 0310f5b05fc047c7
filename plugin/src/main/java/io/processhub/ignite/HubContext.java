package io.processhub.ignite;

import io.processhub.HubConfiguration;
import io.processhub.ProcessHub;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.ignite.Ignite;

/** What the parts of one hub's runtime on one node share. */
final class HubContext {
    final String hubId;
    final HubConfiguration config;
    final Ignite ignite;
    final UUID localNodeId;
    final String localName;
    /** Node attribute that marks the hub's members. */
    final String memberAttribute;
    final HubLoop loop;
    final RegistryIndex index = new RegistryIndex();
    final Executor childPool;
    final ScheduledExecutorService timer;
    final HookDispatcher hooks;
    final HubMetrics metrics;

    /** Current membership; replaced on the loop, read anywhere. */
    volatile Membership membership;
    /** Set once the runtime is built. */
    volatile Registry registry;
    volatile ProcessHub api;
    /** Whether the partition strategy denied this side quorum at the current membership. */
    volatile boolean partitioned;
    /** Whether the loop is handling a membership change. */
    volatile boolean locked;

    HubContext(String hubId, HubConfiguration config, Ignite ignite, Executor childPool, ScheduledExecutorService timer) {
        this.hubId = hubId;
        this.config = config;
        this.ignite = ignite;
        this.localNodeId = ignite.cluster().localNode().id();
        this.localName = Membership.nameOf(ignite.cluster().localNode());
        this.memberAttribute = memberAttribute(hubId);
        this.loop = new HubLoop(hubId, localName);
        this.childPool = childPool;
        this.timer = timer;
        this.hooks = new HookDispatcher(hubId, localName, config.getHooks());
        this.metrics = new HubMetrics(hubId);
    }

    static String memberAttribute(String hubId) {
        return "processhub.hub." + hubId;
    }

    boolean isPartitioned() {
        return partitioned;
    }

    /** Whether Ignite still sees this node: more current than the loop's membership during a change. */
    boolean isAlive(UUID nodeId) {
        return ignite.cluster().node(nodeId) != null;
    }
}
