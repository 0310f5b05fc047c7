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
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Moves the active role off this node without waiting for the registry. Once replicas here are demoted, their first
 * owners are told directly, one message per node, with the state each replica held if the migration hands state over;
 * a first owner told so promotes its replica at once. Before, it learned of the demotion from the demoted replica's
 * registry write, a round trip through the registry while no replica was active. The registry events that follow
 * say the same and stay the fallback.
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

    /** A demoted replica and the node to tell: the child's first owner when the demotion was decided. */
    private static final class Demoted {
        final UUID target;
        final RoleChange change;

        Demoted(UUID target, RoleChange change) {
            this.target = target;
            this.change = change;
        }
    }

    private final HubContext hub;
    private final Supervisor supervisor;
    private final Handover handover;
    private final Transport transport;
    /** Where releases are sent from: a send may block (a first connection to a node, a full outbound queue). */
    private final Executor sender;
    /** Demotions not sent yet (see {@link #tell}). */
    private final ConcurrentLinkedQueue<Demoted> outbox = new ConcurrentLinkedQueue<>();
    /** Whether a flush of the outbox is queued on the sender and has not started draining yet. */
    private final AtomicBoolean flushQueued = new AtomicBoolean();
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
     * Demotes these replicas here and tells each child's first owner as soon as its replica is demoted (with the
     * state if the migration hands state over: the active replica holds the child's live state). Demotions that
     * complete together go out together, one message per node. Loop only.
     */
    public void demote(List<String> ids) {
        boolean withState = hub.config.getMigrationStrategy().handover();
        for (String id : ids) {
            ClusterNode target = hub.membership().owner(id);
            supervisor.changeRole(id, ReplicaRole.PASSIVE, withState).thenAccept(change -> {
                if (change != null && change.previous.role() == ReplicaRole.ACTIVE && target != null
                    && !target.id().equals(hub.localNodeId))
                    tell(target.id(), change);
            });
        }
    }

    /**
     * Queues a demotion for its first owner. Not sent as part of a batch: the child demoted first would wait for the
     * batch's last, with no active replica meanwhile. Any thread (a mailbox's, as its role change completes).
     */
    private void tell(UUID target, RoleChange change) {
        outbox.add(new Demoted(target, change));
        if (flushQueued.compareAndSet(false, true))
            sender.execute(this::flush);
    }

    /**
     * Sends whatever demotions are queued, one message per node. Runs on the sender, not the loop, which may be busy
     * with a pass, nor a mailbox thread, which a send may block.
     */
    private void flush() {
        flushQueued.set(false); // before draining: a demotion queued meanwhile is drained now or by the next flush
        Map<UUID, List<RoleChange>> byTarget = new LinkedHashMap<>();
        for (Demoted d = outbox.poll(); d != null; d = outbox.poll())
            byTarget.computeIfAbsent(d.target, k -> new ArrayList<>()).add(d.change);
        byTarget.forEach(this::send);
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
    public ChildRef released(String childId, List<ChildRef> registered) {
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
