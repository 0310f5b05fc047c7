package io.processhub.ignite.reconcile;

import io.processhub.ignite.HubContext;
import io.processhub.ignite.supervision.RoleChange;
import io.processhub.ignite.supervision.Supervisor;
import io.processhub.ignite.transport.Messages;
import io.processhub.ignite.transport.Transport;

import io.processhub.ChildRef;
import io.processhub.ReplicaRole;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Moves the active role off this node without waiting for the registry. Once replicas here are demoted, their first
 * owners are told directly, one message per node, with the state each replica held if the migration hands state over;
 * a first owner told so promotes its replica at once. Before, it learned of the demotion from the demoted replica's
 * registry write, a round trip through the registry while no replica was active. The registry events that follow
 * say the same and stay the fallback. (Right after a join Ignite holds the first messages to the new node for a few
 * hundred milliseconds, so the message does not always win that race.)
 */
public final class RoleRelease {
    private static final Logger LOG = LogManager.getLogger(RoleRelease.class);

    /** An active ref another node released, and when this node heard of it. */
    private static final class Released {
        final ChildRef ref;
        final long at;

        Released(ChildRef ref, long at) {
            this.ref = ref;
            this.at = at;
        }
    }

    private final HubContext hub;
    private final Supervisor supervisor;
    private final Handover handover;
    private final Transport transport;
    /** Where releases are sent from: a send to a node that just joined blocks for a while (Ignite connects to it). */
    private final Executor sender;
    /** Per child, the active ref its node released to this one, while the registry copy still shows it. Loop only. */
    private final Map<String, Released> released = new HashMap<>();

    public RoleRelease(HubContext hub, Supervisor supervisor, Handover handover, Transport transport, Executor sender) {
        this.hub = hub;
        this.supervisor = supervisor;
        this.handover = handover;
        this.transport = transport;
        this.sender = sender;
    }

    /**
     * Demotes these replicas here and then tells each child's first owner, one message per node (with the states
     * if the migration hands state over: the active replica holds the child's live state). Loop only.
     */
    public void demote(List<String> ids) {
        boolean withState = hub.config.getMigrationStrategy().handover();
        List<CompletableFuture<RoleChange>> changes = new ArrayList<>(ids.size());
        List<ClusterNode> targets = new ArrayList<>(ids.size());
        for (String id : ids) {
            changes.add(supervisor.changeRole(id, ReplicaRole.PASSIVE, withState));
            targets.add(hub.membership().owner(id));
        }
        // Sent from the sender, not the loop, which may be busy with a pass, nor a mailbox thread, which a send may block.
        CompletableFuture.allOf(changes.toArray(new CompletableFuture[0])).thenRunAsync(() -> {
            Map<UUID, List<RoleChange>> byTarget = new LinkedHashMap<>();
            for (int i = 0; i < ids.size(); i++) {
                RoleChange change = changes.get(i).join();
                ClusterNode target = targets.get(i);
                if (change != null && change.previous.role() == ReplicaRole.ACTIVE && target != null
                    && !target.id().equals(hub.localNodeId))
                    byTarget.computeIfAbsent(target.id(), k -> new ArrayList<>()).add(change);
            }
            byTarget.forEach(this::send);
        }, sender);
    }

    private void send(UUID target, List<RoleChange> changes) {
        List<ChildRef> refs = new ArrayList<>(changes.size());
        List<Object> states = new ArrayList<>(changes.size());
        for (RoleChange c : changes) {
            refs.add(c.previous);
            states.add(c.state);
        }
        if (!transport.request(target, new Messages.Released(hub.localNodeId, hub.localName, refs, states)))
            LOG.debug("Hub {} on {}: node {} left before it heard that {} replicas were demoted", hub.hubId, hub.localName,
                target, refs.size());
    }

    /** Another node demoted replicas for this one: remembers it and takes the states. The ids concerned. Loop only. */
    public List<String> accept(Messages.Released msg) {
        long now = System.currentTimeMillis();
        List<String> ids = new ArrayList<>(msg.refs.size());
        for (int i = 0; i < msg.refs.size(); i++) {
            ChildRef ref = msg.refs.get(i);
            released.put(ref.childId(), new Released(ref, now));
            if (msg.states.get(i) != null)
                handover.restore(ref.childId(), msg.states.get(i), msg.from);
            ids.add(ref.childId());
        }
        return ids;
    }

    /**
     * The active ref of this child that its node released to this one, as long as the registry copy still shows it
     * ({@code registered}); once the copy caught up the fact is forgotten. Null if there is none. Loop only.
     */
    public ChildRef released(String childId, ChildRef[] registered) {
        Released r = released.get(childId);
        if (r == null)
            return null;
        if (registered != null)
            for (ChildRef ref : registered)
                if (ref.equals(r.ref))
                    return r.ref;
        released.remove(childId);
        return null;
    }

    /** Forgets releases the registry copy never caught up with (their node left, say). Loop only. */
    public void purge(long now, long maxAgeMillis) {
        released.values().removeIf(r -> r.at < now - maxAgeMillis);
    }
}
