package io.processhub.ignite;

import io.processhub.ChildError;
import io.processhub.HubConfiguration;
import io.processhub.ProcessHub;
import io.processhub.StartOptions;
import io.processhub.UnknownHubException;
import java.util.Collection;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.ignite.Ignite;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.events.DiscoveryEvent;
import org.apache.ignite.events.Event;
import org.apache.ignite.events.EventType;
import org.apache.ignite.lang.IgnitePredicate;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * One hub on one node, wired: registry and its index, membership from discovery events, transport, and on
 * member nodes the supervisor, reconciler and request handler. A node that does not run the hub gets a
 * view: reads and requests, no children.
 */
public final class HubRuntime {
    private static final Logger LOG = LogManager.getLogger(HubRuntime.class);

    private final HubContext hub;
    private final boolean member;
    private final Transport transport;
    private final PendingRequests pending;
    private final Supervisor supervisor;
    private final Reconciler reconciler;
    private final HubApi api;
    private IgnitePredicate<Event> discoveryListener;
    private ScheduledFuture<?> syncTask;

    private HubRuntime(HubContext hub, boolean member, Executor callbacks) {
        this.hub = hub;
        this.member = member;
        this.transport = new Transport(hub.ignite, hub.hubId);
        this.pending = new PendingRequests(hub.timer);
        this.supervisor = member ? new Supervisor(hub) : null;
        this.reconciler = member ? new Reconciler(hub, supervisor) : null;
        this.api = new HubApi(hub, transport, pending, supervisor, callbacks);
        hub.api = api;
    }

    /** Starts the hub on a member node. Blocks until the registry copy is loaded: call from onIgniteStart. */
    static HubRuntime startMember(HubConfiguration cfg, Ignite ignite, Executor childPool, ScheduledExecutorService timer,
        Executor callbacks) {
        HubRuntime rt = new HubRuntime(new HubContext(cfg.getHubId(), cfg, ignite, childPool, timer), true, callbacks);
        rt.open();
        return rt;
    }

    /** Attaches to a hub this node does not run. */
    static HubRuntime startView(String hubId, Ignite ignite, ScheduledExecutorService timer, Executor callbacks) {
        HubConfiguration cfg = new HubConfiguration(hubId);
        HubRuntime rt = new HubRuntime(new HubContext(hubId, cfg, ignite, Runnable::run, timer), false, callbacks);
        rt.open();
        return rt;
    }

    private void open() {
        Registry registry = new Registry(hub.ignite, hub.hubId, hub.index,
            member ? reconciler::markDirty : ids -> { });
        hub.registry = registry;
        if (!registry.open(hub.memberAttribute, member))
            throw new UnknownHubException("no node of the cluster runs hub " + hub.hubId);

        discoveryListener = evt -> {
            DiscoveryEvent e = (DiscoveryEvent)evt;
            long version = e.topologyVersion();
            Collection<ClusterNode> nodes = e.topologyNodes();
            hub.loop.execute(() -> onTopology(version, nodes));
            return true;
        };
        hub.ignite.events().localListen(discoveryListener,
            EventType.EVT_NODE_JOINED, EventType.EVT_NODE_LEFT, EventType.EVT_NODE_FAILED);
        long version = hub.ignite.cluster().topologyVersion();
        hub.membership = Membership.of(version, hub.ignite.cluster().topology(version), hub.memberAttribute,
            hub.config.getDistributionStrategy());
        hub.partitioned = !hub.config.getPartitionToleranceStrategy().hasQuorum(hub.membership.memberNames());

        RequestHandler handler = member ? new RequestHandler(hub, supervisor, transport) : null;
        transport.open(handler == null ? null : handler::accept, pending::onReply);

        if (member) {
            hub.loop.execute(reconciler::reconcileAll);
            long interval = hub.config.getSynchronizationStrategy().syncIntervalMillis();
            syncTask = hub.timer.scheduleWithFixedDelay(() -> hub.loop.execute(reconciler::reconcileAll),
                interval, interval, TimeUnit.MILLISECONDS);
            startStaticChildren();
        }
        LOG.info("Hub {} {} on {} (members: {})", hub.hubId, member ? "started" : "attached", hub.localName,
            hub.membership.memberNames());
    }

    private void onTopology(long version, Collection<ClusterNode> nodes) {
        if (version <= hub.membership.topologyVersion())
            return;
        hub.membership = Membership.of(version, nodes, hub.memberAttribute, hub.config.getDistributionStrategy());
        hub.partitioned = !hub.config.getPartitionToleranceStrategy().hasQuorum(hub.membership.memberNames());
        if (!member)
            return;
        hub.locked = true;
        try {
            reconciler.reconcileAll();
        }
        finally {
            hub.locked = false;
        }
    }

    private void startStaticChildren() {
        if (hub.config.getStaticChildren().isEmpty())
            return;
        api.startChildren(hub.config.getStaticChildren(), StartOptions.defaults()).whenComplete((res, err) -> {
            if (err != null) {
                LOG.error("Static children of hub {} could not be started", hub.hubId, err);
                return;
            }
            for (ChildError e : res.errors())
                if (e.reason() != ChildError.Reason.ALREADY_STARTED)
                    LOG.error("Static child {} of hub {} did not start: {}", e.childId(), hub.hubId, e);
        });
    }

    public ProcessHub api() {
        return api;
    }

    public boolean isMember() {
        return member;
    }

    /** Stops the hub on this node: children are stopped, the registry is left to the survivors. */
    void stop() {
        if (syncTask != null)
            syncTask.cancel(false);
        if (discoveryListener != null)
            hub.ignite.events().stopLocalListen(discoveryListener);
        transport.close();
        if (supervisor != null)
            hub.loop.execute(supervisor::shutdown);
        hub.loop.shutdown(5_000);
        if (hub.registry != null)
            hub.registry.close();
    }
}
