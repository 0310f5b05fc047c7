package io.processhub.ignite;

import io.processhub.ignite.hooks.HookDispatcher;
import io.processhub.ignite.inspection.HubMetrics;
import io.processhub.ignite.membership.Membership;
import io.processhub.ignite.registry.Registry;
import io.processhub.ignite.registry.RegistryIndex;

import io.processhub.HubConfiguration;
import io.processhub.ProcessHub;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.ignite.Ignite;

/** What the parts of one hub's runtime on one node share. */
public final class HubContext {
    public final String hubId;
    public final HubConfiguration config;
    public final Ignite ignite;
    public final UUID localNodeId;
    public final String localName;
    /** Node attribute that marks the hub's members. */
    public final String memberAttribute;
    public final HubLoop loop;
    public final RegistryIndex index = new RegistryIndex();
    public final Executor childPool;
    public final ScheduledExecutorService timer;
    public final HookDispatcher hooks;
    public final HubMetrics metrics;

    /** Current membership; replaced on the loop, read anywhere. */
    public volatile Membership membership;
    /** Set once the runtime is built. */
    public volatile Registry registry;
    public volatile ProcessHub api;
    /** Whether the partition strategy denied this side quorum at the current membership. */
    public volatile boolean partitioned;
    /** Whether the loop is handling a membership change. */
    public volatile boolean locked;

    public HubContext(String hubId, HubConfiguration config, Ignite ignite, Executor childPool, ScheduledExecutorService timer) {
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

    public static String memberAttribute(String hubId) {
        return "processhub.hub." + hubId;
    }

    public boolean isPartitioned() {
        return partitioned;
    }

    /** Whether Ignite still sees this node: more current than the loop's membership during a change. */
    public boolean isAlive(UUID nodeId) {
        return ignite.cluster().node(nodeId) != null;
    }
}
