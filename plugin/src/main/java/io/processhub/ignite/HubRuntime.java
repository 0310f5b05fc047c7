package io.processhub.ignite;

import io.processhub.ignite.antientropy.AntiEntropy;
import io.processhub.ignite.antientropy.GossipDigest;
import io.processhub.ignite.checkpoint.CheckpointCache;
import io.processhub.ignite.inspection.HubStatus;
import io.processhub.ignite.membership.DrainProgress;
import io.processhub.ignite.membership.Drains;
import io.processhub.ignite.membership.Membership;
import io.processhub.ignite.membership.MembershipChange;
import io.processhub.ignite.membership.QuorumGuard;
import io.processhub.ignite.reconcile.Handover;
import io.processhub.ignite.reconcile.Placements;
import io.processhub.ignite.reconcile.Reconciler;
import io.processhub.ignite.reconcile.RoleRelease;
import io.processhub.ignite.registry.Registry;
import io.processhub.ignite.registry.RegistryChildRecords;
import io.processhub.ignite.registry.RegistryListener;
import io.processhub.ignite.registry.Visibility;
import io.processhub.ignite.checkpoint.CheckpointStore;
import io.processhub.ignite.supervision.ChildPhase;
import io.processhub.ignite.supervision.LocalChild;
import io.processhub.ignite.supervision.SupervisionContext;
import io.processhub.ignite.supervision.Supervisor;
import io.processhub.ignite.transport.PendingRequests;
import io.processhub.ignite.transport.CastAcks;
import io.processhub.ignite.transport.CastOutbox;
import io.processhub.ignite.transport.CastRelay;
import io.processhub.ignite.transport.ChildWhereabouts;
import io.processhub.ignite.transport.Messages;
import io.processhub.ignite.transport.RequestHandler;
import io.processhub.ignite.transport.Transport;

import io.processhub.ChildError;
import io.processhub.HubConfiguration;
import io.processhub.ProcessHub;
import io.processhub.StartOptions;
import io.processhub.UnknownHubException;
import io.processhub.ReplicaRole;
import io.processhub.StatefulChild;
import io.processhub.StopReason;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import io.processhub.hook.Hook;
import io.processhub.hook.HubEvent;
import io.processhub.hook.LockEvent;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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

    /** Messages one child's mailbox holds before further calls and casts are refused (MailboxFullException). */
    private static final int MAILBOX_CAPACITY = 10_000;
    /** How long a node that stops waits for its queued checkpoints to be stored. */
    private static final long CHECKPOINT_FLUSH_MILLIS = 3_000;
    /** How long opening the hub waits for its loop to take the first membership (it takes a moment, unless the node stops). */
    private static final long OPEN_WAIT_SECONDS = 30;

    private final HubContext hub;
    private final boolean member;
    private final Transport transport;
    private final PendingRequests pending;
    private final Placements placements;
    private final Visibility visibility;
    private final CheckpointCache checkpoints;
    private final Supervisor supervisor;
    private final Handover handover;
    private final RoleRelease release;
    private final Reconciler reconciler;
    private final QuorumGuard quorum;
    private final AntiEntropy antiEntropy;
    private final Drains drains;
    private final ChildWhereabouts whereabouts;
    /** Null on nodes that do not run the hub. */
    private final CastRelay casts;
    /** The casts this node sends, until their children have them. */
    private final CastOutbox outbox;
    private final HubApi api;
    private final HubStatus status;
    /** Set when the hub stops here: from then on only calls and casts are served (refused or passed on). */
    private volatile boolean leaving;
    private IgnitePredicate<Event> discoveryListener;
    private ScheduledFuture<?> syncTask;
    private ScheduledFuture<?> checkpointTask;

    private HubRuntime(HubContext hub, boolean member, Executor callbacks) {
        this.hub = hub;
        this.member = member;
        this.transport = new Transport(hub.ignite, hub.hubId);
        this.pending = new PendingRequests(hub.timer);
        this.placements = new Placements(hub);
        this.visibility = new Visibility(hub.index, hub.timer);
        this.checkpoints = member && hub.config.getCheckpoints().isEnabled() ? new CheckpointCache(hub) : null;
        this.supervisor = member ? new Supervisor(supervisionContext(hub), new RegistryChildRecords(hub), placements,
            checkpoints == null ? CheckpointStore.NONE : checkpoints, new CastAcks(hub, transport, callbacks)) : null;
        this.handover = member ? new Handover(hub, supervisor, transport, pending) : null;
        this.release = member ? new RoleRelease(hub, supervisor, handover, transport, callbacks) : null;
        this.reconciler = member ? new Reconciler(hub, supervisor, placements, handover, release) : null;
        this.quorum = new QuorumGuard(hub, supervisor);
        this.antiEntropy = new AntiEntropy(hub, transport::request);
        this.drains = new Drains(hub, member ? reconciler::reconcileAll : () -> { });
        this.whereabouts = new ChildWhereabouts(hub, placements);
        this.casts = member ? new CastRelay(hub, supervisor, transport, whereabouts, callbacks) : null;
        this.outbox = new CastOutbox(hub, transport, whereabouts, callbacks);
        this.api = new HubApi(hub, placements, visibility, transport, pending, supervisor, callbacks, whereabouts, casts, outbox);
        this.status = new HubStatus(hub, supervisor);
    }

    private SupervisionContext supervisionContext(HubContext hub) {
        return new SupervisionContext(hub.hubId, hub.localName, hub.localNodeId, hub.config.getMaxRestarts(),
            hub.config.getMaxRestartsWindow(), MAILBOX_CAPACITY, hub.loop::execute, hub.childPool, hub.hooks, hub.metrics,
            System::currentTimeMillis, () -> hub.ignite, () -> api);
    }

    /** Starts the hub on a member node. Blocks until the registry copy is loaded: call from onIgniteStart. */
    public static HubRuntime startMember(HubConfiguration cfg, Ignite ignite, Executor childPool, ScheduledExecutorService timer,
        Executor callbacks) {
        HubRuntime rt = new HubRuntime(new HubContext(cfg.getHubId(), cfg, ignite, childPool, timer, callbacks), true, callbacks);
        rt.open();
        return rt;
    }

    /** Attaches to a hub this node does not run. */
    public static HubRuntime startView(String hubId, Ignite ignite, ScheduledExecutorService timer, Executor callbacks) {
        HubConfiguration cfg = new HubConfiguration(hubId);
        HubRuntime rt = new HubRuntime(new HubContext(hubId, cfg, ignite, Runnable::run, timer, callbacks), false, callbacks);
        rt.open();
        return rt;
    }

    private void open() {
        Registry registry = hub.registry;
        discoveryListener = evt -> {
            DiscoveryEvent e = (DiscoveryEvent)evt;
            long version = e.topologyVersion();
            Collection<ClusterNode> nodes = e.topologyNodes();
            boolean failed = e.type() == EventType.EVT_NODE_FAILED;
            if (e.type() != EventType.EVT_NODE_JOINED)
                hub.timer.execute(() -> {
                    transport.nodeLeft(e.eventNode().id());
                    pending.nodeLeft(Membership.nameOf(e.eventNode()), failed);
                    outbox.nodeLeft(e.eventNode().id());
                });
            hub.loop.execute(() -> onTopology(version, nodes, failed));
            return true;
        };
        hub.ignite.events().localListen(discoveryListener,
            EventType.EVT_NODE_JOINED, EventType.EVT_NODE_LEFT, EventType.EVT_NODE_FAILED);
        try {
            drains.open(); // before the first membership, which places children away from draining nodes
            // Membership before the registry opens: changes delivered while it loads are reconciled against it.
            // Taken on the loop, so it is ordered with the discovery events queued since the listener started.
            long version = hub.ignite.cluster().topologyVersion();
            Collection<ClusterNode> nodes = hub.ignite.cluster().topology(version);
            CompletableFuture<Void> first = new CompletableFuture<>();
            hub.loop.execute(() -> {
                if (hub.membership() == null || hub.membership().topologyVersion() < version)
                    hub.view.setMembership(membershipOf(version, nodes));
                quorum.init();
                first.complete(null);
            });
            awaitFirstMembership(first);
            if (!registry.open(hub.memberAttribute, member, member ? reconciler::markDirty : ids -> { },
                new RegistryListener(hub, visibility, reconciler)))
                throw new UnknownHubException("no node of the cluster runs hub " + hub.hubId);
        }
        catch (RuntimeException e) {
            hub.ignite.events().stopLocalListen(discoveryListener);
            registry.close();
            hub.loop.shutdown(0);
            throw e;
        }

        RequestHandler handler = member ? new RequestHandler(hub, supervisor, placements, handover, reconciler, transport,
            whereabouts, casts) : null;
        transport.open(handler == null ? null : msg -> {
            if (msg instanceof GossipDigest)
                antiEntropy.accept((GossipDigest)msg);
            else if (!leaving || msg instanceof Messages.CallRequest || msg instanceof Messages.HeldCasts)
                handler.accept(msg);
        }, msg -> {
            if (msg instanceof Messages.CastsHandled)
                outbox.acked((Messages.CastsHandled)msg);
            else
                pending.onReply(msg);
        });
        antiEntropy.start();

        if (member) {
            hub.loop.execute(reconciler::reconcileAll);
            long interval = hub.config.getSynchronizationStrategy().syncIntervalMillis();
            syncTask = hub.timer.scheduleWithFixedDelay(() -> hub.loop.execute(reconciler::reconcileAll),
                interval, interval, TimeUnit.MILLISECONDS);
            long checkpointEvery = hub.config.getCheckpoints().getInterval();
            if (checkpoints != null && checkpointEvery > 0)
                checkpointTask = hub.timer.scheduleWithFixedDelay(supervisor::checkpointAll, checkpointEvery, checkpointEvery,
                    TimeUnit.MILLISECONDS);
            startStaticChildren();
        }
        hub.metrics.register(hub.ignite, status);
        LOG.info("Hub {} {} on {} (members: {})", hub.hubId, member ? "started" : "attached", hub.localName,
            hub.membership().memberNames());
    }

    /**
     * Waits for the loop to take the first membership. Bounded: if the node stops meanwhile its worker pool drops the
     * task, and a caller opening a view of the hub (any thread, e.g. {@code ProcessHubs.hub}) must not wait forever.
     */
    private void awaitFirstMembership(CompletableFuture<Void> first) {
        try {
            first.get(OPEN_WAIT_SECONDS, TimeUnit.SECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnknownHubException("interrupted while hub " + hub.hubId + " opened on " + hub.localName);
        }
        catch (ExecutionException | TimeoutException e) {
            throw new UnknownHubException("hub " + hub.hubId + " could not be opened on " + hub.localName + " within "
                + OPEN_WAIT_SECONDS + " s: the node is stopping");
        }
    }

    /** Guided children's mapped nodes come from their specs in the local registry copy: placement stays local. */
    private Membership membershipOf(long version, Collection<ClusterNode> nodes) {
        return Membership.of(version, nodes, hub.memberAttribute, hub.config.getDistributionStrategy(),
            id -> Placements.mappedNodes(hub.index.get(id)), hub.view.drainingIds());
    }

    private void onTopology(long version, Collection<ClusterNode> nodes, boolean failed) {
        Membership previous = hub.membership();
        if (previous != null && version <= previous.topologyVersion())
            return;
        Membership next = membershipOf(version, nodes);
        if (previous == null) {
            hub.view.setMembership(next); // the hub is opening: this is its first membership, nothing runs yet
            return;
        }
        MembershipChange change = MembershipChange.between(previous, next, failed);
        if (change.isEmpty()) {
            hub.view.setMembership(next);
            return;
        }
        change.fire(hub, Hook.PRE_CLUSTER_JOIN, Hook.PRE_CLUSTER_LEAVE);
        hub.view.setMembership(next);
        hub.metrics.membershipChanges.increment();
        change.fire(hub, Hook.POST_CLUSTER_JOIN, Hook.POST_CLUSTER_LEAVE);
        if (!member)
            return;
        setLocked(true);
        hub.hooks.fire(Hook.PRE_NODES_REDISTRIBUTION, () -> change.redistributionEvent(hub, Hook.PRE_NODES_REDISTRIBUTION));
        try {
            quorum.check();
            reconciler.reconcileAll();
            drains.dropLeftNodes();
        }
        finally {
            hub.hooks.fire(Hook.POST_NODES_REDISTRIBUTION, () -> change.redistributionEvent(hub, Hook.POST_NODES_REDISTRIBUTION));
            setLocked(false);
        }
    }

    private void setLocked(boolean locked) {
        hub.view.setLocked(locked);
        hub.hooks.fire(Hook.PRIORITY_STATE_UPDATED, () -> new LockEvent(Hook.PRIORITY_STATE_UPDATED, hub.hubId, hub.localName, locked));
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
                if (e.reason() == ChildError.Reason.UNKNOWN_NODE) // guided: its node starts it when it joins
                    LOG.debug("Static child {} of hub {} waits for its node: {}", e.childId(), hub.hubId, e);
                else if (e.reason() != ChildError.Reason.ALREADY_STARTED)
                    LOG.error("Static child {} of hub {} did not start: {}", e.childId(), hub.hubId, e);
        });
    }

    /**
     * With HotSwap handover, a node that leaves gracefully gives the state of its active children to their
     * next owners, which apply it when they take the children over. Waits at most the retention time.
     */
    private void handOverBeforeLeaving() {
        if (!hub.config.getMigrationStrategy().handover() || hub.view.isPartitioned())
            return;
        CompletableFuture<CompletableFuture<Void>> started = new CompletableFuture<>();
        hub.loop.execute(() -> {
            List<LocalChild> active = new ArrayList<>();
            for (String id : supervisor.activeStatefulIds()) {
                LocalChild child = supervisor.local(id);
                if (child != null)
                    active.add(child);
            }
            started.complete(active.isEmpty() ? CompletableFuture.completedFuture(null)
                : handover.handOver(active, Handover.successorsWithout(hub, hub.localNodeId), false));
        });
        long retention = hub.config.getMigrationStrategy().retentionMillis();
        try {
            started.get(retention, TimeUnit.MILLISECONDS).get(retention, TimeUnit.MILLISECONDS);
        }
        catch (Exception e) {
            LOG.warn("Hub {} on {}: not every child's state was handed over before leaving", hub.hubId, hub.localName, e);
        }
    }

    /**
     * Without a state handover (ColdSwap) but with checkpoints, a node that leaves gracefully stops its children here
     * with a last checkpoint each, taken in the same mailbox turn as the stop, so their next owners resume them from
     * the state they had when they stopped. Waits at most {@link #CHECKPOINT_FLUSH_MILLIS} for them to be stored.
     */
    private void checkpointBeforeLeaving() {
        if (checkpoints == null || hub.config.getMigrationStrategy().handover() || hub.view.isPartitioned())
            return;
        CompletableFuture<CompletableFuture<Void>> started = new CompletableFuture<>();
        if (!hub.loop.execute(() -> started.complete(supervisor.stopAll(StopReason.SHUTDOWN, true))))
            return;
        try {
            started.get(CHECKPOINT_FLUSH_MILLIS, TimeUnit.MILLISECONDS).get(CHECKPOINT_FLUSH_MILLIS, TimeUnit.MILLISECONDS);
        }
        catch (Exception e) {
            LOG.warn("Hub {} on {}: not every child's last checkpoint was stored before leaving", hub.hubId, hub.localName, e);
        }
    }

    /**
     * Resets the intended cluster size of this node's quorum ({@code MajorityQuorum}); reconciles if that gave
     * quorum back. Completes once applied, exceptionally if the strategy has no cluster size.
     */
    public CompletableFuture<Void> resetClusterSize(int size) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        boolean queued = hub.loop.execute(() -> {
            try {
                if (quorum.resetClusterSize(size) && member)
                    reconciler.reconcileAll();
                done.complete(null);
            }
            catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        if (!queued)
            done.completeExceptionally(new IllegalStateException("hub " + hub.hubId + " is stopping on " + hub.localName));
        return done;
    }

    public ProcessHub api() {
        return api;
    }

    /** The draining of this hub's members, as this node applies it. */
    public Drains drains() {
        return drains;
    }

    /** What {@link DrainProgress} answers on this node: how many of the hub's children it still has. Any thread. */
    public int drainRemaining() {
        if (supervisor == null || !drains.isDraining(hub.localName, hub.localNodeId))
            return DrainProgress.NOT_DRAINING;
        if (!hub.membership().isDraining(hub.localNodeId))
            return DrainProgress.NOT_APPLIED;
        int n = 0;
        for (LocalChild c : supervisor.localChildren())
            if (c.phase != ChildPhase.DEAD && c.phase != ChildPhase.RETIRED)
                n++;
        return n;
    }

    public boolean isMember() {
        return member;
    }

    /** Whether this node runs the hub and the hub lacks quorum on its side. */
    public boolean lostQuorum() {
        return member && hub.view.isPartitioned();
    }

    /** Live reads of this hub's state for metrics and system views. */
    public HubStatus status() {
        return status;
    }

    /** Stops the hub on this node: children are stopped, the registry is left to the survivors. */
    public void stop() {
        hub.hooks.fire(Hook.HUB_SHUTDOWN, () -> new HubEvent(Hook.HUB_SHUTDOWN, hub.hubId, hub.localName));
        hub.metrics.unregister(hub.ignite);
        if (syncTask != null)
            syncTask.cancel(false);
        antiEntropy.stop();
        if (discoveryListener != null)
            hub.ignite.events().stopLocalListen(discoveryListener);
        if (checkpointTask != null)
            checkpointTask.cancel(false);
        if (member) {
            leaving = true;
            casts.leaving(Handover.successorsWithout(hub, hub.localNodeId));
            handOverBeforeLeaving();
            checkpointBeforeLeaving();
        }
        if (checkpoints != null)
            checkpoints.close(CHECKPOINT_FLUSH_MILLIS); // the checkpoints taken so far land before the node leaves
        hub.registry.close();
        if (supervisor != null)
            hub.loop.execute(() -> supervisor.stopAll(StopReason.SHUTDOWN));
        hub.loop.shutdown(5_000);
        // A member keeps listening until Ignite stops: calls and casts that reach it until its departure is seen are
        // refused (the caller tries again) or passed on to the children's next owners.
        if (!member)
            transport.close();
        hub.hooks.shutdown();
    }
}
