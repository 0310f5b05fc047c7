package io.processhub.ignite;

import io.processhub.ChildError;
import io.processhub.ChildInfo;
import io.processhub.ChildRef;
import io.processhub.ChildSpec;
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
import org.apache.ignite.cluster.ClusterNode;

/**
 * The {@link ProcessHub} API on one node, member or not: validates requests, groups children by owner
 * (one message per node), and answers reads from the local registry copy.
 */
final class HubApi implements ProcessHub {
    private final HubContext hub;
    private final Transport transport;
    private final PendingRequests pending;
    /** Null on nodes that do not run the hub. */
    private final Supervisor supervisor;
    /** Completes user futures, so user callbacks never run on the hub loop or Ignite threads. */
    private final Executor callbacks;
    private final ArgumentCheck argumentCheck;

    HubApi(HubContext hub, Transport transport, PendingRequests pending, Supervisor supervisor, Executor callbacks) {
        this.hub = hub;
        this.transport = transport;
        this.pending = pending;
        this.supervisor = supervisor;
        this.callbacks = callbacks;
        this.argumentCheck = new ArgumentCheck(hub.ignite);
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
        List<ChildError> errors = new ArrayList<>();
        Map<UUID, List<ChildSpec>> byOwner = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        Membership members = hub.membership;
        for (ChildSpec spec : specs) {
            String problem = SpecCheck.problem(spec);
            if (problem == null && !seen.add(spec.id()))
                problem = "the id " + spec.id() + " appears more than once in the request";
            if (problem == null)
                problem = argumentCheck.problem(spec);
            if (problem != null) {
                errors.add(new ChildError(spec == null ? null : spec.id(), null, ChildError.Reason.INVALID_SPEC, problem));
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
            ClusterNode owner = members.owner(spec.id());
            if (owner == null) {
                errors.add(new ChildError(spec.id(), null, ChildError.Reason.NODE_TIMEOUT,
                    "no node of the cluster runs hub " + hub.hubId));
                continue;
            }
            byOwner.computeIfAbsent(owner.id(), k -> new ArrayList<>()).add(spec.withMetadataDefaults(opts.metadata()));
        }

        StartCollector collector = new StartCollector(errors);
        byOwner.forEach((node, list) -> {
            String name = nameOf(node);
            for (ChildSpec s : list)
                collector.expect(s.id(), name);
        });
        long requestId = pending.register(collector, opts.timeout());
        byOwner.forEach((node, list) -> {
            if (!transport.request(node, new Messages.StartRequest(requestId, hub.localNodeId, list, opts.checkExisting(), 0)))
                collector.fail(ids(list), ChildError.Reason.NODE_TIMEOUT, "node " + nameOf(node) + " left before the request reached it");
        });
        collector.sent();

        return collector.done.thenComposeAsync(c -> finishStart(c, opts), callbacks);
    }

    private CompletableFuture<StartResult> finishStart(StartCollector c, StartOptions opts) {
        List<ChildRef> started = c.started();
        List<ChildError> errors = c.errors();
        if (errors.isEmpty() || started.isEmpty() || opts.onFailure() != StartOptions.OnFailure.ROLLBACK)
            return CompletableFuture.completedFuture(new StartResult(started, errors, false));
        // Stop exactly the refs the owners reported, on the nodes that run them. Not through stopChildren: it
        // looks ids up in this node's registry copy, which may not have received the new entries yet (the
        // continuous query lags the owners' replies), and would answer NOT_FOUND while the child keeps running.
        Map<UUID, List<String>> byNode = new LinkedHashMap<>();
        for (ChildRef r : started)
            byNode.computeIfAbsent(r.nodeId(), k -> new ArrayList<>()).add(r.childId());
        return sendStops(byNode, new ArrayList<>(), StopOptions.defaults().timeout(opts.timeout())).thenApply(stop -> {
            List<ChildError> all = new ArrayList<>(errors);
            for (ChildRef r : started)
                all.add(new ChildError(r.childId(), r.node(), ChildError.Reason.ROLLED_BACK,
                    "started, then stopped because the request failed and asked for ROLLBACK"));
            all.addAll(stop.errors());
            return new StartResult(List.of(), all, true);
        });
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
            RegistryIndex.Entry entry = hub.index.get(id);
            if (entry == null || entry.spec == null && entry.refs.length == 0) {
                errors.add(new ChildError(id, hub.localName, ChildError.Reason.NOT_FOUND, "no child " + id + " in hub " + hub.hubId));
                continue;
            }
            ChildRef live = liveRef(id);
            ClusterNode target = live != null ? hub.ignite.cluster().node(live.nodeId()) : hub.membership.owner(id);
            if (target == null) {
                errors.add(new ChildError(id, null, ChildError.Reason.NODE_TIMEOUT, "no node of the cluster runs hub " + hub.hubId));
                continue;
            }
            byNode.computeIfAbsent(target.id(), k -> new ArrayList<>()).add(id);
        }
        return sendStops(byNode, errors, opts);
    }

    /** Sends one stop request per node and collects the answers; {@code errors} are the caller's own. */
    private CompletableFuture<StopResult> sendStops(Map<UUID, List<String>> byNode, List<ChildError> errors, StopOptions opts) {
        StopCollector collector = new StopCollector(errors);
        byNode.forEach((node, ids) -> ids.forEach(id -> collector.expect(id, nameOf(node))));
        long requestId = pending.register(collector, opts.timeout());
        byNode.forEach((node, ids) -> {
            if (!transport.request(node, new Messages.StopRequest(requestId, hub.localNodeId, ids, 0)))
                collector.fail(ids, ChildError.Reason.NODE_TIMEOUT, "node " + nameOf(node) + " left before the request reached it");
        });
        collector.sent();
        return collector.done.thenApplyAsync(r -> r, callbacks);
    }

    // ---------------------------------------------------------------- messages

    @Override
    public CompletableFuture<Object> call(String childId, Object message, Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        CompletableFuture<Object> reply = new CompletableFuture<>();
        ChildRef target = liveRef(childId);
        if (target == null) {
            reply.completeExceptionally(new NoSuchChildException("no running child " + childId + " in hub " + hub.hubId));
            return reply;
        }
        if (target.nodeId().equals(hub.localNodeId) && supervisor != null) {
            pending.timeOut(reply, childId, timeout);
            supervisor.deliver(childId, message, reply);
        }
        else {
            long requestId = pending.register(reply, childId, timeout);
            if (!transport.request(target.nodeId(), new Messages.CallRequest(requestId, hub.localNodeId, childId, message)))
                reply.completeExceptionally(new NoSuchChildException(
                    "child " + childId + " ran on " + target.node() + ", which has left"));
        }
        return reply.thenApplyAsync(r -> r, callbacks);
    }

    @Override
    public void cast(String childId, Object message) {
        ChildRef target = liveRef(childId);
        if (target == null)
            throw new NoSuchChildException("no running child " + childId + " in hub " + hub.hubId);
        if (target.nodeId().equals(hub.localNodeId) && supervisor != null)
            supervisor.deliver(childId, message, null);
        else
            transport.request(target.nodeId(), new Messages.CallRequest(0, hub.localNodeId, childId, message));
    }

    // ---------------------------------------------------------------- local reads

    @Override
    public Optional<ChildInfo> lookup(String childId) {
        RegistryIndex.Entry e = childId == null ? null : hub.index.get(childId);
        return e == null || e.spec == null ? Optional.empty() : Optional.of(e.toInfo());
    }

    @Override
    public List<ChildRef> refs(String childId) {
        RegistryIndex.Entry e = childId == null ? null : hub.index.get(childId);
        return e == null ? List.of() : List.of(e.refs);
    }

    @Override
    public Optional<ChildRef> activeRef(String childId) {
        RegistryIndex.Entry e = childId == null ? null : hub.index.get(childId);
        if (e != null)
            for (ChildRef r : e.refs)
                if (r.role() == io.processhub.ReplicaRole.ACTIVE)
                    return Optional.of(r);
        return Optional.empty();
    }

    /** The active replica on a node Ignite still sees. */
    private ChildRef liveRef(String childId) {
        RegistryIndex.Entry e = childId == null ? null : hub.index.get(childId);
        if (e != null)
            for (ChildRef r : e.refs)
                if (r.role() == io.processhub.ReplicaRole.ACTIVE && hub.isAlive(r.nodeId()))
                    return r;
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
        for (ChildCell c : supervisor.cells.values())
            if (c.state == ChildCell.State.RUNNING)
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
        return hub.membership.memberNames();
    }

    @Override
    public boolean isPartitioned() {
        return hub.isPartitioned();
    }

    @Override
    public boolean isLocked() {
        return hub.locked;
    }

    private String nameOf(UUID node) {
        ClusterNode n = hub.ignite.cluster().node(node);
        return n == null ? String.valueOf(node) : Membership.nameOf(n);
    }

    private static List<String> ids(List<ChildSpec> specs) {
        List<String> res = new ArrayList<>(specs.size());
        for (ChildSpec s : specs)
            res.add(s.id());
        return res;
    }
}
