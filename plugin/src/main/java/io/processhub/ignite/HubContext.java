package io.processhub.ignite;

import io.processhub.ignite.hooks.HookDispatcher;
import io.processhub.ignite.inspection.HubMetrics;
import io.processhub.ignite.membership.ClusterView;
import io.processhub.ignite.membership.Membership;
import io.processhub.ignite.membership.QuorumFence;
import io.processhub.ignite.registry.Registry;
import io.processhub.ignite.registry.RegistryIndex;

import io.processhub.HubConfiguration;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.ignite.Ignite;

/** What the parts of one hub's runtime on one node share: its identity, executors and shared parts, fixed at creation. */
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
    /** The node's shared worker pool, on which the hub's serial executors run ({@link SerialExecutor}). */
    public final Executor workers;
    public final HookDispatcher hooks;
    public final HubMetrics metrics;

    /** The hub's cluster as this node sees it: the only state here that changes (on the loop). */
    public final ClusterView view = new ClusterView();
    /** Which writes count on this side of a split: the registry's and the checkpoints' (ruled on by QuorumGuard). */
    public final QuorumFence fence = new QuorumFence(this);
    public final Registry registry;

    public HubContext(String hubId, HubConfiguration config, Ignite ignite, Executor childPool, ScheduledExecutorService timer,
        Executor workers) {
        this.hubId = hubId;
        this.config = config;
        this.ignite = ignite;
        this.localNodeId = ignite.cluster().localNode().id();
        this.localName = Membership.nameOf(ignite.cluster().localNode());
        this.memberAttribute = memberAttribute(hubId);
        this.loop = new HubLoop(hubId, localName, workers);
        this.childPool = childPool;
        this.timer = timer;
        this.workers = workers;
        this.hooks = new HookDispatcher(hubId, localName, config.getHooks(), workers);
        this.metrics = new HubMetrics(hubId);
        this.registry = new Registry(this); // last: it reads the identity above
    }

    /** The current membership (see {@link ClusterView}). */
    public Membership membership() {
        return view.membership();
    }

    public static String memberAttribute(String hubId) {
        return "processhub.hub." + hubId;
    }

    public boolean isPartitioned() {
        return view.isPartitioned();
    }

    /** Whether Ignite still sees this node: more current than the loop's membership during a change. */
    public boolean isAlive(UUID nodeId) {
        return ignite.cluster().node(nodeId) != null;
    }
}
