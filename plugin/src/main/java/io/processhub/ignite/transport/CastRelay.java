package io.processhub.ignite.transport;

import io.processhub.ignite.HubContext;
import io.processhub.ignite.supervision.NotActiveReplicaException;
import io.processhub.ignite.supervision.Supervisor;

import io.processhub.MailboxFullException;
import io.processhub.NoSuchChildException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Casts on a hub member: delivers each to its child here, and holds and passes on those the child here cannot take.
 * A cast that reaches a replica that is passive, moving away, or gone (the sender's registry copy lagged a move or
 * a role change) is held here, per child in the order it came, and passed on to where this node's registry copy then
 * places the active replica ({@link ChildWhereabouts#route}), all held casts of the child in one message. While the
 * copy names this node or the node the casts came from (it lags the move too), they wait, and are looked at again
 * every few milliseconds; a later cast for that child queues behind them, so casts leave this node in the order they
 * reached it (Ignite's messaging does not order them on the wire: two batches passed on one after the other, or a
 * batch and a cast sent directly to the new node, may still arrive the other way round; the child's node puts each
 * sender's casts back in their order by their numbers, see SequencedCast). A
 * cast is dropped (debug log, metric {@code castsDropped}) when its child no longer lives anywhere, after
 * {@value #MAX_HOPS} hops, after {@value #HOLD_MILLIS} ms held, or when {@value #CAPACITY} casts wait for its child;
 * its sender, which has no acknowledgement for it, sends it again (CastOutbox).
 */
public final class CastRelay {
    private static final Logger LOG = LogManager.getLogger(CastRelay.class);
    /** Nodes a cast may pass through: a move settles within two or three unless membership keeps changing. */
    static final int MAX_HOPS = 5;
    /** How long a cast may wait for its child to be reachable: a move takes at most HotSwap's retention and a bit. */
    static final long HOLD_MILLIS = 10_000;
    /** Casts held per child at most: a mailbox's worth. */
    static final int CAPACITY = 10_000;
    /** How often held casts look for their child again. */
    private static final long RETRY_MILLIS = 5;

    /** A cast held here. */
    private static final class Held {
        final Object message;
        final int hops;
        /** The node that passed it here, null if its sender is on this node or sent it here itself. */
        final UUID from;
        final long deadline;
        /** Whether it is in its child's mailbox here now. Guarded by the relay. */
        boolean offered;

        Held(Object message, int hops, UUID from, long deadline) {
            this.message = message;
            this.hops = hops;
            this.from = from;
            this.deadline = deadline;
        }
    }

    private final HubContext hub;
    private final Supervisor supervisor;
    private final Transport transport;
    private final ChildWhereabouts whereabouts;
    /** Where held casts are looked at and passed on: a send may block (a first connection to a node, a full outbound queue). */
    private final Executor sender;
    /**
     * Per child, the casts held for it, oldest first, as long as one is: the order of a child's casts here. A cast
     * leaves it once its child handled it (or it was passed on, or dropped). Guarded by this.
     */
    private final Map<String, ArrayDeque<Held>> held = new HashMap<>();
    /** Set when this node leaves gracefully: where each child goes without it. */
    private volatile Function<String, ClusterNode> leavingTo;

    public CastRelay(HubContext hub, Supervisor supervisor, Transport transport, ChildWhereabouts whereabouts, Executor sender) {
        this.hub = hub;
        this.supervisor = supervisor;
        this.transport = transport;
        this.whereabouts = whereabouts;
        this.sender = sender;
    }

    /** A cast sent to this node, by a caller here or elsewhere. Any thread. */
    public void deliver(String childId, Object message) {
        deliver(childId, message, 0, null);
    }

    /** Casts another node held and passed on, in their order. Any thread. */
    public void accept(Messages.HeldCasts msg) {
        for (Object m : msg.messages)
            deliver(msg.childId, m, msg.hops, msg.from);
    }

    /**
     * Gives a cast to its child's mailbox here; when its turn comes the child takes it only if no cast for it is held
     * here (else it would overtake them). A refused cast is held, so the held casts keep the mailbox's order.
     */
    private void deliver(String childId, Object message, int hops, UUID from) {
        Function<String, ClusterNode> successors = leavingTo;
        if (successors != null) {
            // The child's state goes to its next owner now (or went): the cast follows it there, handled after it.
            ClusterNode next = successors.apply(childId);
            if (next == null || hops >= MAX_HOPS
                || !transport.request(next.id(), new Messages.HeldCasts(hub.localNodeId, childId, List.of(message), hops + 1)))
                drop(childId, 1, "this node leaves and the child's next owner cannot be reached");
            return;
        }
        Held cast = new Held(message, hops, from, System.currentTimeMillis() + HOLD_MILLIS);
        CompletableFuture<Object> handled = new CompletableFuture<>();
        supervisor.deliver(childId, message, handled, () -> holds(childId));
        handled.whenComplete((v, err) -> {
            if (err != null && takesBack(childId, err))
                hold(childId, cast);
        });
    }

    /** Whether a cast the child here refused with {@code err} is held (else it is dropped, or it was delivered). */
    private boolean takesBack(String childId, Throwable err) {
        if (err instanceof MailboxFullException)
            return false; // counted in mailboxRejections
        if (err instanceof NotActiveReplicaException || err instanceof NoSuchChildException && whereabouts.livesOn(childId))
            return true;
        if (err instanceof NoSuchChildException)
            drop(childId, 1, "it runs nowhere");
        return false; // else the handler threw: the cast was delivered
    }

    private synchronized boolean holds(String childId) {
        return held.containsKey(childId);
    }

    private void hold(String childId, Held cast) {
        boolean first;
        synchronized (this) {
            ArrayDeque<Held> queue = held.get(childId);
            first = queue == null;
            if (first)
                held.put(childId, queue = new ArrayDeque<>());
            if (queue.size() < CAPACITY) {
                queue.add(cast);
                cast = null;
            }
        }
        if (cast != null)
            drop(childId, 1, CAPACITY + " casts wait for it already");
        else if (first)
            sender.execute(() -> pass(childId));
    }

    /**
     * This node leaves the hub gracefully: from now on casts (and those held) go to each child's next owner without
     * this node (its own registry copy and membership still name it), where they wait for the child to start with its
     * state. A cast that reached the child's mailbox here before is handled here, before the state is taken.
     */
    public void leaving(Function<String, ClusterNode> successors) {
        leavingTo = successors;
    }

    /** Delivers or passes on the casts held for a child, or looks again shortly. */
    private void pass(String childId) {
        boolean here = supervisor.takesMessages(childId);
        Function<String, ClusterNode> successors = leavingTo;
        UUID target;
        if (here)
            target = hub.localNodeId;
        else if (successors != null) {
            ClusterNode next = successors.apply(childId);
            target = next == null ? null : next.id();
        }
        else
            target = whereabouts.route(childId, true);
        boolean livesOn = here || whereabouts.livesOn(childId);
        List<Held> batch = null;
        int expired = 0;
        boolean again;
        synchronized (this) {
            ArrayDeque<Held> queue = held.get(childId);
            if (queue == null)
                return;
            long now = System.currentTimeMillis();
            while (!queue.isEmpty() && !queue.peek().offered && queue.peek().deadline < now) {
                queue.poll();
                expired++;
            }
            if (queue.isEmpty()) {
                held.remove(childId);
                again = false;
            }
            else if (here) {
                // Into the mailbox in their order; each is taken only at the head of the queue (no later cast
                // overtakes it) and leaves the queue once handled.
                for (Held cast : queue)
                    if (!cast.offered) {
                        cast.offered = true;
                        offer(childId, cast);
                    }
                again = false;
            }
            else if (!livesOn || !waits(target, queue)) {
                batch = new ArrayList<>(queue);
                held.remove(childId);
                again = false;
            }
            else
                again = true;
        }
        if (expired > 0)
            drop(childId, expired, "held for " + HOLD_MILLIS + " ms");
        if (again)
            CompletableFuture.delayedExecutor(RETRY_MILLIS, TimeUnit.MILLISECONDS, sender).execute(() -> pass(childId));
        else if (batch != null && !livesOn)
            drop(childId, batch.size(), "it runs nowhere");
        else if (batch != null)
            passOn(childId, batch, target);
    }

    /**
     * Whether held casts wait here: some are in the mailbox here, or the route leads nowhere, back here, or back to the
     * node that passed them here (the registry copy lags the move that made them miss their child).
     */
    private boolean waits(UUID target, ArrayDeque<Held> queue) {
        for (Held cast : queue)
            if (cast.offered)
                return true;
        return target == null || target.equals(hub.localNodeId) || target.equals(queue.peek().from);
    }

    /** Gives a held cast to its child here. Under the relay's lock; the mailbox answers later. */
    private void offer(String childId, Held cast) {
        CompletableFuture<Object> handled = new CompletableFuture<>();
        supervisor.deliver(childId, cast.message, handled, () -> !isHead(childId, cast));
        handled.whenComplete((v, err) -> {
            boolean keep = err != null && takesBack(childId, err);
            boolean retry;
            synchronized (this) {
                ArrayDeque<Held> queue = held.get(childId);
                if (queue == null)
                    return;
                if (keep)
                    cast.offered = false;
                else
                    queue.remove(cast);
                if (queue.isEmpty())
                    held.remove(childId);
                retry = false;
                for (Held h : queue)
                    retry |= !h.offered;
            }
            if (retry) // refused again, or casts held behind: look again
                CompletableFuture.delayedExecutor(RETRY_MILLIS, TimeUnit.MILLISECONDS, sender).execute(() -> pass(childId));
        });
    }

    private synchronized boolean isHead(String childId, Held cast) {
        ArrayDeque<Held> queue = held.get(childId);
        return queue != null && queue.peek() == cast;
    }

    private void passOn(String childId, List<Held> batch, UUID target) {
        List<Object> messages = new ArrayList<>(batch.size());
        int hops = 0;
        for (Held cast : batch) {
            if (cast.hops >= MAX_HOPS) {
                drop(childId, 1, "passed on " + MAX_HOPS + " times");
                continue;
            }
            messages.add(cast.message);
            hops = Math.max(hops, cast.hops + 1);
        }
        if (messages.isEmpty())
            return;
        LOG.debug("Hub {} on {}: passing {} held casts for {} on to node {}", hub.hubId, hub.localName, messages.size(), childId, target);
        if (!transport.request(target, new Messages.HeldCasts(hub.localNodeId, childId, messages, hops)))
            for (int i = 0, k = 0; i < batch.size(); i++) // the node just left: hold them again, the route moves on
                if (batch.get(i).hops < MAX_HOPS)
                    hold(childId, new Held(messages.get(k++), hops, null, batch.get(i).deadline));
    }

    private void drop(String childId, int count, String why) {
        hub.metrics.castsDropped.add(count);
        LOG.debug("Hub {} on {}: {} casts for child {} dropped: {}", hub.hubId, hub.localName, count, childId, why);
    }
}
