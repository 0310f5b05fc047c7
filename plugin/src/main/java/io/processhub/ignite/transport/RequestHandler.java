package io.processhub.ignite.transport;

import io.processhub.ignite.HubContext;
import io.processhub.ignite.membership.Membership;
import io.processhub.ignite.reconcile.Handover;
import io.processhub.ignite.reconcile.Placements;
import io.processhub.ignite.reconcile.Reconciler;
import io.processhub.ignite.registry.RegistryIndex;
import io.processhub.ignite.registry.RegistryKeys;
import io.processhub.ignite.supervision.NotActiveReplicaException;
import io.processhub.ignite.supervision.BatchResult;
import io.processhub.ignite.supervision.ChildPhase;
import io.processhub.ignite.supervision.LocalChild;
import io.processhub.ignite.supervision.StartItem;
import io.processhub.ignite.supervision.Supervisor;

import io.processhub.ChildCallException;
import io.processhub.MailboxFullException;
import io.processhub.ChildError;
import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import io.processhub.StopReason;
import io.processhub.hook.ChildrenEvent;
import io.processhub.hook.Hook;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.ignite.cluster.ClusterNode;

/**
 * Serves the requests other nodes (or this one) send to a hub member: starts on the owner (forwarding
 * what this node does not own), stops where the child runs (forwarding if it runs elsewhere), messages to
 * local children.
 */
public final class RequestHandler {
    /** Forwarding limit: placement settles within a couple of hops unless membership keeps changing. */
    private static final int MAX_HOPS = 3;

    private final HubContext hub;
    private final Supervisor supervisor;
    private final Placements placements;
    private final Handover handover;
    private final Reconciler reconciler;
    private final Transport transport;
    private final Rollbacks rollbacks;
    private final ChildWhereabouts whereabouts;
    private final CastRelay casts;

    public RequestHandler(HubContext hub, Supervisor supervisor, Placements placements, Handover handover, Reconciler reconciler,
        Transport transport, ChildWhereabouts whereabouts, CastRelay casts) {
        this.hub = hub;
        this.whereabouts = whereabouts;
        this.casts = casts;
        this.supervisor = supervisor;
        this.placements = placements;
        this.handover = handover;
        this.reconciler = reconciler;
        this.transport = transport;
        // A stop nobody waits for: its replies (request id 0) find no pending request and are dropped.
        this.rollbacks = new Rollbacks(hub, supervisor, transport, ids -> stop(new Messages.StopRequest(0, hub.localNodeId, ids, 0)));
    }

    /** Entry point from the transport: any thread, hands over at once. */
    public void accept(Object msg) {
        if (msg instanceof Messages.StartRequest)
            hub.loop.execute(() -> start((Messages.StartRequest)msg));
        else if (msg instanceof Messages.StopRequest)
            hub.loop.execute(() -> stop((Messages.StopRequest)msg));
        else if (msg instanceof Messages.CallRequest)
            call((Messages.CallRequest)msg);
        else if (msg instanceof Messages.HeldCasts)
            casts.accept((Messages.HeldCasts)msg);
        else if (msg instanceof Messages.HandoverRequest)
            hub.loop.execute(() -> handover.accept((Messages.HandoverRequest)msg));
        else if (msg instanceof Messages.Released) {
            reconciler.promoteReleased((Messages.Released)msg); // no replica is active meanwhile
            hub.loop.executeFirst(() -> reconciler.released((Messages.Released)msg));
        }
        else if (msg instanceof Messages.AbortStart)
            hub.loop.execute(() -> rollbacks.abort((Messages.AbortStart)msg));
    }

    private void start(Messages.StartRequest req) {
        if (req.isRollback() && rollbacks.refusedLate(req))
            return;
        BatchResult refused = new BatchResult();
        List<StartItem> mine = new ArrayList<>();
        Map<UUID, List<StartItem>> elsewhere = new LinkedHashMap<>();
        for (StartItem item : req.items()) {
            List<ClusterNode> owners = placements.owners(item.spec);
            // Guided: the caller's view may not have checked the mapping (a node without the hub), or a node left since.
            ChildError unmapped = owners.isEmpty() ? placements.mappingError(item.spec) : null;
            if (hub.isPartitioned())
                refused.error(new ChildError(item.spec.id(), hub.localName, ChildError.Reason.PARTITIONED,
                    "hub " + hub.hubId + " has no quorum on this side of the cluster"), item.replica);
            else if (unmapped != null)
                refused.error(unmapped, item.replica);
            else if (item.replica >= owners.size())
                refused.error(new ChildError(item.spec.id(), hub.localName, ChildError.Reason.NO_OWNER,
                    "hub " + hub.hubId + " has " + owners.size() + " members, too few for replica " + (item.replica + 1)), item.replica);
            else if (owners.get(item.replica).id().equals(hub.localNodeId) || req.hops >= MAX_HOPS)
                mine.add(item);
            else
                elsewhere.computeIfAbsent(owners.get(item.replica).id(), k -> new ArrayList<>()).add(item);
        }
        elsewhere.forEach((node, items) -> {
            Messages.StartRequest fwd = new Messages.StartRequest(req.requestId, req.origin, items, req.checkExisting, req.hops + 1,
                req.rollbackDeadline);
            if (transport.request(node, fwd)) {
                if (req.isRollback())
                    rollbacks.forwarded(req, node);
                ClusterNode target = hub.ignite.cluster().node(node);
                String targetName = target == null ? String.valueOf(node) : Membership.nameOf(target);
                List<ChildSpec> specs = new ArrayList<>(items.size());
                for (StartItem item : items)
                    specs.add(item.spec);
                hub.hooks.fire(Hook.FORWARDED_MIGRATION,
                    () -> new ChildrenEvent(Hook.FORWARDED_MIGRATION, hub.hubId, hub.localName, specs, targetName));
            }
            else
                mine.addAll(items); // the owner just left: start here, the reconciler moves it if needed
        });
        if (!refused.errors.isEmpty())
            transport.reply(req.origin, new Messages.StartReply(req.requestId, refused));
        supervisor.start(mine, req.checkExisting, result -> {
            if (req.isRollback())
                rollbacks.started(req, result);
            transport.reply(req.origin, new Messages.StartReply(req.requestId, result));
        });
    }

    private void stop(Messages.StopRequest req) {
        List<String> local = new ArrayList<>();
        List<ChildError> errors = new ArrayList<>();
        List<String> notRunning = new ArrayList<>();
        Map<UUID, List<String>> elsewhere = new HashMap<>();
        for (String id : req.childIds) {
            LocalChild child = supervisor.local(id);
            if (child != null && child.phase != ChildPhase.RETIRED) {
                local.add(id);
                continue;
            }
            if (hub.isPartitioned()) {
                // Cut off from the majority, this node's registry copy may lack a child started there since.
                errors.add(new ChildError(id, hub.localName, ChildError.Reason.PARTITIONED, "hub " + hub.hubId
                    + " has no quorum on this side of the cluster: whether child " + id + " runs on the other side is unknown here"));
                continue;
            }
            RegistryIndex.Entry entry = hub.index.get(id);
            ChildRef live = supervisor.liveRefElsewhere(id);
            if (entry == null || !entry.hasSpec() && live == null)
                errors.add(new ChildError(id, hub.localName, ChildError.Reason.NOT_FOUND,
                    "no child " + id + " in hub " + hub.hubId));
            else if (live != null && req.hops < MAX_HOPS)
                elsewhere.computeIfAbsent(live.nodeId(), k -> new ArrayList<>()).add(id);
            else
                notRunning.add(id);
        }
        elsewhere.forEach((node, ids) -> {
            if (!transport.request(node, new Messages.StopRequest(req.requestId, req.origin, ids, req.hops + 1)))
                notRunning.addAll(ids);
        });
        unregisterNotRunning(notRunning);
        supervisor.stop(local, StopReason.REQUESTED, true, stopped -> {
            List<String> all = new ArrayList<>(stopped);
            all.addAll(notRunning);
            transport.reply(req.origin, new Messages.StopReply(req.requestId, hub.localName, all, errors));
        });
    }

    /** Children registered but running nowhere (being restarted after a crash): drop their spec. */
    private void unregisterNotRunning(List<String> ids) {
        if (ids.isEmpty())
            return;
        for (String id : ids)
            supervisor.markRetired(id);
        hub.registry.writer().retireEverywhere(ids);
    }

    private void call(Messages.CallRequest req) {
        if (req.requestId == 0) {
            casts.deliver(req.childId, req.message);
            return;
        }
        CompletableFuture<Object> reply = new CompletableFuture<>();
        supervisor.deliver(req.childId, req.message, reply);
        reply.whenComplete((value, failure) -> {
            Throwable err = failure == null ? null : whereabouts.refusal(req.childId, failure);
            Messages.CallReply answer;
            if (err == null)
                answer = new Messages.CallReply(req.requestId, value, Messages.CallReply.Failure.NONE, null);
            else if (err instanceof NotActiveReplicaException)
                answer = new Messages.CallReply(req.requestId, null, Messages.CallReply.Failure.NOT_ACTIVE, err.getMessage());
            else if (err instanceof ChildCallException)
                answer = new Messages.CallReply(req.requestId, null, Messages.CallReply.Failure.HANDLER_FAILED, err.getMessage());
            else if (err instanceof MailboxFullException)
                answer = new Messages.CallReply(req.requestId, null, Messages.CallReply.Failure.MAILBOX_FULL, err.getMessage());
            else
                answer = new Messages.CallReply(req.requestId, null, Messages.CallReply.Failure.NO_SUCH_CHILD, err.getMessage());
            if (!transport.reply(req.origin, answer) && err == null)
                transport.reply(req.origin, new Messages.CallReply(req.requestId, null,
                    Messages.CallReply.Failure.HANDLER_FAILED, "the reply of child " + req.childId + " could not be sent back"));
        });
    }
}
