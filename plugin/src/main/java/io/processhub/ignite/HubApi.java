package io.processhub.ignite;

import io.processhub.ignite.membership.ClusterSizeReset;
import io.processhub.ignite.membership.DrainRequest;
import io.processhub.ignite.membership.DrainWatch;
import io.processhub.ignite.membership.Membership;
import io.processhub.ignite.reconcile.Placements;
import io.processhub.ignite.registry.RegistryIndex;
import io.processhub.ignite.registry.Visibility;
import io.processhub.ignite.service.ArgumentCheck;
import io.processhub.ignite.service.SpecCheck;
import io.processhub.ignite.supervision.LocalChild;
import io.processhub.ignite.supervision.NotActiveReplicaException;
import io.processhub.ignite.supervision.casts.SequencedCast;
import io.processhub.ignite.supervision.StartItem;
import io.processhub.ignite.supervision.Supervisor;
import io.processhub.ignite.transport.CastOutbox;
import io.processhub.ignite.transport.CastRelay;
import io.processhub.ignite.transport.ChildWhereabouts;
import io.processhub.ignite.transport.Messages;
import io.processhub.ignite.transport.PendingRequests;
import io.processhub.ignite.transport.StartCollector;
import io.processhub.ignite.transport.StopCollector;
import io.processhub.ignite.transport.Transport;

import io.processhub.ChildError;
import io.processhub.ChildInfo;
import io.processhub.ChildMapping;
import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import io.processhub.DrainException;
import io.processhub.NoSuchChildException;
import io.processhub.ProcessHub;
import io.processhub.Scope;
import io.processhub.StartOptions;
import io.processhub.StartResult;
import io.processhub.StopOptions;
import io.processhub.StopResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.apache.ignite.cluster.ClusterGroup;
import org.apache.ignite.cluster.ClusterNode;

/**
 * The {@link ProcessHub} API on one node, member or not: validates requests, groups children by owner
 * (one message per node), and answers reads from the local registry copy.
 */
public final class HubApi implements ProcessHub {
    private final HubContext hub;
    private final Transport transport;
    private final PendingRequests pending;
    /** Null on nodes that do not run the hub. */
    private final Supervisor supervisor;
    /** Completes user futures, so user callbacks never run on the hub loop or Ignite threads. */
    private final Executor callbacks;
    private final ArgumentCheck argumentCheck;
    private final Placements placements;
    private final Visibility visibility;
    /** How soon a call refused by a replica that is not active goes again. */
    private static final long CALL_RETRY_MILLIS = 5;
    private final BatchRollback rollback;
    private final ChildWhereabouts whereabouts;
    /** Null on nodes that do not run the hub. */
    private final CastRelay casts;
    /** Numbers this node's casts and keeps them until their children have them. */
    private final CastOutbox outbox;

    public HubApi(HubContext hub, Placements placements, Visibility visibility, Transport transport, PendingRequests pending,
        Supervisor supervisor, Executor callbacks, ChildWhereabouts whereabouts, CastRelay casts, CastOutbox outbox) {
        this.hub = hub;
        this.whereabouts = whereabouts;
        this.casts = casts;
        this.outbox = outbox;
        this.placements = placements;
        this.visibility = visibility;
        this.transport = transport;
        this.pending = pending;
        this.supervisor = supervisor;
        this.callbacks = callbacks;
        this.argumentCheck = new ArgumentCheck(hub.ignite);
        this.rollback = new BatchRollback(hub, transport, pending, visibility);
    }

    @Override
    public String hubId() {
        return hub.hubId;
    }

    // ---------------------------------------------------------------- start / stop

    @Override
    public CompletableFuture<StartResult> startChildren(Collection<ChildSpec> specs, StartOptions options) {
        Objects.requireNonNull(specs, "specs");
        StartOptions opts = options == null ? StartOptions.defaults() : options;
        specs = ChildMapping.apply(specs, opts.childMapping()); // every node then finds a guided child's nodes in its spec
        List<ChildError> errors = new ArrayList<>();
        Map<UUID, List<StartItem>> byOwner = new LinkedHashMap<>();
        Map<String, Integer> occurrences = occurrences(specs);
        Set<String> duplicatesReported = new HashSet<>();
        for (ChildSpec spec : specs) {
            if (occurrences.getOrDefault(spec == null ? null : spec.id(), 0) > 1) {
                // One answer per id: which of its specs was meant is unclear, so none of them starts.
                if (duplicatesReported.add(spec.id()))
                    errors.add(new ChildError(spec.id(), null, ChildError.Reason.INVALID_SPEC, "the id " + spec.id()
                        + " appears " + occurrences.get(spec.id()) + " times in the request; none of its specs was started"));
                continue;
            }
            String problem = SpecCheck.problem(spec);
            if (problem == null)
                problem = argumentCheck.problem(spec);
            if (problem != null) {
                errors.add(new ChildError(spec == null ? null : spec.id(), null, ChildError.Reason.INVALID_SPEC, problem));
                continue;
            }
            ChildError unmapped = placements.mappingError(spec);
            if (unmapped != null) {
                errors.add(unmapped);
                continue;
            }
            if (hub.isPartitioned()) {
                errors.add(new ChildError(spec.id(), hub.localName, ChildError.Reason.PARTITIONED,
                    "hub " + hub.hubId + " has no quorum on this side of the cluster"));
                continue;
            }
            if (opts.checkExisting()) {
                ChildRef existing = liveRef(spec.id());
                if (existing != null) {
                    errors.add(new ChildError(spec.id(), existing.node(), ChildError.Reason.ALREADY_STARTED,
                        "already running on " + existing.node(), existing));
                    continue;
                }
            }
            List<ClusterNode> owners = placements.owners(spec);
            if (owners.isEmpty()) {
                errors.add(new ChildError(spec.id(), null, ChildError.Reason.NO_OWNER,
                    "no node of the cluster runs hub " + hub.hubId));
                continue;
            }
            ChildSpec withMetadata = spec.withMetadataDefaults(opts.metadata());
            for (int replica = 0; replica < owners.size(); replica++)
                byOwner.computeIfAbsent(owners.get(replica).id(), k -> new ArrayList<>()).add(new StartItem(withMetadata, replica));
        }

        StartCollector collector = new StartCollector(errors);
        byOwner.forEach((node, items) -> {
            String name = nameOf(node);
            for (StartItem item : items)
                collector.expect(StartCollector.key(item.spec.id(), item.replica), name);
        });
        long deadline = opts.onFailure() == StartOptions.OnFailure.ROLLBACK ? System.currentTimeMillis() + opts.timeout().toMillis() : 0;
        long requestId = pending.register(collector, opts.timeout());
        byOwner.forEach((node, items) -> {
            if (!transport.request(node, new Messages.StartRequest(requestId, hub.localNodeId, items, opts.checkExisting(), 0, deadline)))
                collector.fail(keys(items), ChildError.Reason.NODE_TIMEOUT, "node " + nameOf(node) + " left before the request reached it");
        });
        collector.sent();

        // The last stage runs on the callback pool, so user stages never run on Ignite's or the hub's threads.
        return collector.done
            .thenComposeAsync(r -> finishStart(r, opts, requestId, byOwner.keySet()), callbacks)
            .thenApplyAsync(r -> r, callbacks);
    }

    /**
     * Rolls a failed ROLLBACK batch back; otherwise waits until this node's registry copy lists the started
     * replicas (read-your-writes for the caller; a rollback waits until it no longer lists the stopped ones).
     */
    private CompletableFuture<StartResult> finishStart(StartResult collected, StartOptions opts, long requestId, Set<UUID> sentTo) {
        if (opts.onFailure() != StartOptions.OnFailure.ROLLBACK || collected.errors().isEmpty())
            return visibility.refsVisible(collected.started()).thenApply(v -> collected);
        if (sentTo.isEmpty())
            return CompletableFuture.completedFuture(new StartResult(List.of(), collected.errors(), true)); // nothing sent, nothing to undo
        return rollback.run(requestId, sentTo, collected, opts.timeout());
    }

    /** How often each id appears among the specs (null and blank ids are not counted: each is its own error). */
    private static Map<String, Integer> occurrences(Collection<ChildSpec> specs) {
        Map<String, Integer> res = new HashMap<>();
        for (ChildSpec spec : specs)
            if (spec != null && spec.id() != null && !spec.id().isBlank())
                res.merge(spec.id(), 1, Integer::sum);
        return res;
    }

    @Override
    public CompletableFuture<StopResult> stopChildren(Collection<String> childIds, StopOptions options) {
        Objects.requireNonNull(childIds, "childIds");
        StopOptions opts = options == null ? StopOptions.defaults() : options;
        List<ChildError> errors = new ArrayList<>();
        Map<UUID, List<String>> byNode = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (String id : childIds) {
            if (id == null || id.isBlank()) {
                errors.add(new ChildError(id, null, ChildError.Reason.INVALID_SPEC, "child id must not be null or blank"));
                continue;
            }
            if (!seen.add(id))
                continue;
            ClusterNode target = stopTarget(id, hub.index.get(id));
            if (target == null) {
                errors.add(new ChildError(id, null, ChildError.Reason.NO_OWNER, "no node of the cluster runs hub " + hub.hubId));
                continue;
            }
            byNode.computeIfAbsent(target.id(), k -> new ArrayList<>()).add(id);
        }
        StopCollector collector = new StopCollector(errors);
        byNode.forEach((node, ids) -> ids.forEach(id -> collector.expect(id, nameOf(node))));
        long requestId = pending.register(collector, opts.timeout());
        byNode.forEach((node, ids) -> {
            if (!transport.request(node, new Messages.StopRequest(requestId, hub.localNodeId, ids, 0)))
                collector.fail(ids, ChildError.Reason.NODE_TIMEOUT, "node " + nameOf(node) + " left before the request reached it");
        });
        collector.sent();
        return collector.done
            .thenComposeAsync(r -> visibility.specsGone(r.stopped().keySet()).thenApply(v -> r), callbacks)
            .thenApplyAsync(r -> r, callbacks);
    }

    /**
     * Where to send the stop of a child: a node running one of its replicas (the active one first), which
     * stops its own replica and unregisters the child; the other replicas then stop because the spec is gone.
     * If this node's registry copy does not know the child (yet), its owner decides: it may have just
     * started it, or answer NOT_FOUND.
     */
    private ClusterNode stopTarget(String id, RegistryIndex.Entry entry) {
        ChildRef live = liveRef(id);
        if (live == null && entry != null)
            for (ChildRef r : entry.refs())
                if (hub.isAlive(r.nodeId()))
                    live = r;
        return live != null ? hub.ignite.cluster().node(live.nodeId()) : hub.membership().owner(id);
    }

    // ---------------------------------------------------------------- messages

    @Override
    public CompletableFuture<Object> call(String childId, Object message, Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        CompletableFuture<Object> reply = new CompletableFuture<>();
        pending.timeOut(reply, childId, timeout);
        callActive(childId, message, timeout, reply);
        return reply.thenApplyAsync(r -> r, callbacks);
    }

    /**
     * {@link #call} for a caller that only waits for the reply itself (the thin-client service): the future
     * completes on the thread that got the reply (the child's mailbox thread for a child of this node) instead of
     * hopping to the callback pool, and it has no timer: the caller times it out by completing it exceptionally,
     * which also ends the retries of a call refused by a replica that is not active. Never chain user code on it.
     */
    public CompletableFuture<Object> callAwaited(String childId, Object message, Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        CompletableFuture<Object> reply = new CompletableFuture<>();
        callActive(childId, message, timeout, reply);
        return reply;
    }

    /**
     * Sends the call to the active replica this node's registry copy names. A replica that is not active refuses
     * it (the copy lagged a role change), and so does a node the child is moving away from or has left (HotSwap,
     * ColdSwap, a node leaving): then it goes again, shortly, until {@code reply} is done (or timed out). A call
     * is refused before its handler runs, so it is handled at most once, by the child's next instance once that has
     * its state; a caller that waits for each answer before its next call sees its calls handled in order.
     */
    private void callActive(String childId, Object message, Duration timeout, CompletableFuture<Object> reply) {
        CompletableFuture<Object> answer = new CompletableFuture<>();
        answer.whenComplete((value, err) -> {
            if (err instanceof NotActiveReplicaException && !reply.isDone())
                CompletableFuture.delayedExecutor(CALL_RETRY_MILLIS, TimeUnit.MILLISECONDS, callbacks)
                    .execute(() -> callActive(childId, message, timeout, reply));
            else if (err != null)
                reply.completeExceptionally(err);
            else
                reply.complete(value);
        });
        // Unknown to this node's registry copy (which may lag a start made elsewhere): ask the owner.
        ChildRef ref = liveRef(childId);
        ClusterNode target = ref != null ? hub.ignite.cluster().node(ref.nodeId()) : childId == null ? null : hub.membership().owner(childId);
        if (target == null)
            answer.completeExceptionally(new NoSuchChildException("no running child " + childId + " in hub " + hub.hubId));
        else if (target.id().equals(hub.localNodeId) && supervisor != null) {
            CompletableFuture<Object> local = new CompletableFuture<>();
            supervisor.deliver(childId, message, local);
            local.whenComplete((value, err) -> {
                if (err == null)
                    answer.complete(value);
                else
                    answer.completeExceptionally(whereabouts.refusal(childId, err));
            });
        }
        else {
            long requestId = pending.register(answer, childId, Membership.nameOf(target), timeout);
            if (!transport.request(target.id(), new Messages.CallRequest(requestId, hub.localNodeId, childId, message)))
                answer.completeExceptionally(whereabouts.refusal(childId, new NoSuchChildException(
                    "child " + childId + " ran on " + Membership.nameOf(target) + ", which has left")));
        }
    }

    /**
     * Sends the cast to the active replica this node's registry copy names, or, while a move leaves it with none,
     * to the child's first owner. A node whose replica cannot take it holds it and passes it on ({@link CastRelay}).
     * The cast is numbered for its child ({@link CastOutbox}): the child handles this node's casts in the order they
     * were sent and each once, and one lost on the way (its node stopped) is sent again.
     */
    @Override
    public void cast(String childId, Object message) {
        ChildRef ref = liveRef(childId);
        UUID target = ref != null ? ref.nodeId() : whereabouts.livesOn(childId) ? whereabouts.route(childId, false) : null;
        if (target == null)
            throw new NoSuchChildException("no running child " + childId + " in hub " + hub.hubId);
        SequencedCast numbered = outbox.number(childId, message, target);
        if (target.equals(hub.localNodeId) && casts != null)
            casts.deliver(childId, numbered);
        else
            transport.request(target, new Messages.CallRequest(0, hub.localNodeId, childId, numbered)); // else sent again
    }

    // ---------------------------------------------------------------- local reads

    @Override
    public Optional<ChildInfo> lookup(String childId) {
        RegistryIndex.Entry e = childId == null ? null : hub.index.get(childId);
        return e == null || !e.hasSpec() ? Optional.empty() : Optional.of(e.toInfo());
    }

    @Override
    public List<ChildRef> refs(String childId) {
        RegistryIndex.Entry e = childId == null ? null : hub.index.get(childId);
        return e == null ? List.of() : e.refs();
    }

    @Override
    public Optional<ChildRef> activeRef(String childId) {
        RegistryIndex.Entry e = childId == null ? null : hub.index.get(childId);
        if (e != null)
            for (int i = 0; i < e.refCount(); i++)
                if (e.roleAt(i) == io.processhub.ReplicaRole.ACTIVE)
                    return Optional.of(e.ref(i));
        return Optional.empty();
    }

    /** The active replica on a node Ignite still sees. */
    private ChildRef liveRef(String childId) {
        RegistryIndex.Entry e = childId == null ? null : hub.index.get(childId);
        if (e != null)
            for (int i = 0; i < e.refCount(); i++)
                if (e.roleAt(i) == io.processhub.ReplicaRole.ACTIVE && hub.isAlive(e.nodeIdAt(i)))
                    return e.ref(i);
        return null;
    }

    @Override
    public List<ChildInfo> children() {
        return hub.index.infos();
    }

    @Override
    public List<ChildRef> localChildren() {
        if (supervisor == null)
            return List.of();
        List<ChildRef> res = new ArrayList<>();
        for (LocalChild c : supervisor.localChildren())
            if (c.isRunning())
                res.add(c.ref);
        return res;
    }

    @Override
    public List<ChildInfo> tagQuery(String tag) {
        List<ChildInfo> res = new ArrayList<>();
        for (ChildInfo info : hub.index.infos())
            if (Objects.equals(info.metadata().get("tag"), tag))
                res.add(info);
        return res;
    }

    @Override
    public List<ChildRef> whichChildren(Scope scope) {
        if (scope == Scope.LOCAL)
            return localChildren();
        List<ChildRef> res = new ArrayList<>();
        for (ChildInfo info : hub.index.infos())
            res.addAll(info.refs());
        return res;
    }

    @Override
    public List<String> nodes() {
        return hub.membership().memberNames();
    }

    @Override
    public boolean isPartitioned() {
        return hub.isPartitioned();
    }

    @Override
    public boolean isLocked() {
        return hub.view.isLocked();
    }

    @Override
    public CompletableFuture<Void> resetClusterSize(int size) {
        if (size < 1)
            return CompletableFuture.failedFuture(new IllegalArgumentException("cluster size must be at least 1, was " + size));
        CompletableFuture<Void> done = new CompletableFuture<>();
        hub.ignite.compute(hub.ignite.cluster().forAttribute(hub.memberAttribute, "true")).withNoFailover()
            .broadcastAsync(new ClusterSizeReset(hub.hubId, size)).listen(f -> {
                try {
                    f.get();
                    done.complete(null);
                }
                catch (RuntimeException e) {
                    done.completeExceptionally(rootCause(e));
                }
            });
        return done;
    }

    // ---------------------------------------------------------------- draining

    @Override
    public CompletableFuture<Void> drain(String node) {
        return requestDrain(node, true)
            .thenCompose(id -> DrainWatch.until(hub, node, id))
            .whenCompleteAsync((v, e) -> { }, callbacks);
    }

    @Override
    public CompletableFuture<Void> undrain(String node) {
        return requestDrain(node, false).<Void>thenApply(id -> null).whenCompleteAsync((v, e) -> { }, callbacks);
    }

    @Override
    public List<String> drainingNodes() {
        return hub.membership().drainingNames();
    }

    /**
     * Checks and records a drain or undrain on a member ({@link DrainRequest}): this node if it runs the hub, else
     * one of the members. Completes with the id of the node named.
     */
    private CompletableFuture<UUID> requestDrain(String node, boolean drain) {
        if (node == null || node.isBlank())
            return CompletableFuture.failedFuture(new IllegalArgumentException("node must be a consistent id, not null or blank"));
        CompletableFuture<UUID> res = new CompletableFuture<>();
        try {
            ClusterGroup members = supervisor != null ? hub.ignite.cluster().forLocal()
                : hub.ignite.cluster().forServers().forAttribute(hub.memberAttribute, "true");
            hub.ignite.compute(members).withNoFailover().callAsync(new DrainRequest(hub.hubId, node, drain)).listen(f -> {
                try {
                    res.complete(f.get());
                }
                catch (RuntimeException e) {
                    res.completeExceptionally(drainCause(e));
                }
            });
        }
        catch (RuntimeException e) {
            res.completeExceptionally(drainCause(e));
        }
        return res;
    }

    /** The member's refusal (a DrainException) rather than Ignite's wrappers around it. */
    private static Throwable drainCause(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause())
            if (c instanceof DrainException || c instanceof IllegalArgumentException)
                return c;
        return e;
    }

    /** The member's own exception (an unsupported strategy, say) rather than Ignite's wrappers around it. */
    private static Throwable rootCause(Throwable e) {
        Throwable c = e;
        while (c.getCause() != null && c.getCause() != c)
            c = c.getCause();
        return c instanceof UnsupportedOperationException || c instanceof IllegalArgumentException ? c : e;
    }

    @Override
    public io.processhub.hook.Hooks hooks() {
        return hub.hooks;
    }

    private String nameOf(UUID node) {
        ClusterNode n = hub.ignite.cluster().node(node);
        return n == null ? String.valueOf(node) : Membership.nameOf(n);
    }

    private static List<String> keys(List<StartItem> items) {
        List<String> res = new ArrayList<>(items.size());
        for (StartItem item : items)
            res.add(StartCollector.key(item.spec.id(), item.replica));
        return res;
    }
}
