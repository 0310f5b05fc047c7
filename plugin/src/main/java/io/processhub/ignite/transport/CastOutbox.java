package io.processhub.ignite.transport;

import io.processhub.ignite.HubContext;
import io.processhub.ignite.supervision.casts.SequencedCast;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The casts this node sends, numbered per child ({@link SequencedCast}) and kept until the child's node says the child
 * has them ({@link Messages.CastsHandled}). Casts not acknowledged within {@value #RESEND_MILLIS} ms, or sent to a node
 * that left, are sent again, all of a child's in one message, to where the child is now: Ignite drops what it had not
 * delivered to a node that stops, and the child's numbering drops what arrives twice. A cast unacknowledged for
 * {@value #FORGET_MILLIS} ms is given up (metric {@code castsDropped}). Nothing is scheduled while nothing is sent.
 */
public final class CastOutbox {
    private static final Logger LOG = LogManager.getLogger(CastOutbox.class);
    /** Unacknowledged this long, a cast is sent again: acknowledgements take milliseconds unless the child is swamped. */
    static final long RESEND_MILLIS = 1_000;
    /** Unacknowledged this long, a cast is given up. */
    static final long FORGET_MILLIS = 30_000;
    /** A child's numbering with nothing unacknowledged and unused this long is forgotten; the next cast starts a new one. */
    static final long IDLE_MILLIS = 60_000;
    /** Unacknowledged casts kept per child at most (a mailbox's worth); beyond, the oldest is given up. */
    static final int CAPACITY = 10_000;
    private static final long SWEEP_MILLIS = 200;

    /** A cast sent and not acknowledged yet. */
    private static final class Sent {
        final SequencedCast cast;
        final long firstSentAt;
        UUID target;
        long sentAt;

        Sent(SequencedCast cast, UUID target, long sentAt) {
            this.cast = cast;
            this.firstSentAt = sentAt;
            this.target = target;
            this.sentAt = sentAt;
        }
    }

    /** This node's numbering of one child. Guarded by itself. */
    private static final class Numbering {
        final long stream;
        long next = 1;
        final ArrayDeque<Sent> unacked = new ArrayDeque<>();
        long usedAt;
        /** Forgotten (idle): a cast that found it takes a new one. */
        boolean retired;

        Numbering(long stream) {
            this.stream = stream;
        }

        long floor(long orElse) {
            return unacked.isEmpty() ? orElse : unacked.peek().cast.seq;
        }
    }

    private final HubContext hub;
    private final Transport transport;
    private final ChildWhereabouts whereabouts;
    /** Where casts are sent again: a send may block. */
    private final Executor sender;
    private final ConcurrentHashMap<String, Numbering> numberings = new ConcurrentHashMap<>();
    /** The last numbering started: numberings of one child by this node are ordered, also after one was forgotten. */
    private final AtomicLong lastStream = new AtomicLong();
    /** When the next sweep is scheduled (epoch millis), 0 if none. Guarded by this. */
    private long sweepAt;

    public CastOutbox(HubContext hub, Transport transport, ChildWhereabouts whereabouts, Executor sender) {
        this.hub = hub;
        this.transport = transport;
        this.whereabouts = whereabouts;
        this.sender = sender;
    }

    /** Numbers a cast to the child, sent now to {@code target}, and keeps it until acknowledged. Any thread. */
    public SequencedCast number(String childId, Object message, UUID target) {
        long now = System.currentTimeMillis();
        SequencedCast cast;
        while (true) {
            Numbering n = numberings.computeIfAbsent(childId, k -> new Numbering(lastStream.updateAndGet(v -> Math.max(v + 1, now))));
            synchronized (n) {
                if (n.retired)
                    continue;
                if (n.unacked.size() >= CAPACITY) {
                    n.unacked.poll();
                    dropped(childId, 1, CAPACITY + " casts to it are not acknowledged");
                }
                long seq = n.next++;
                cast = new SequencedCast(hub.localNodeId, n.stream, seq, n.floor(seq), message);
                n.unacked.add(new Sent(cast, target, now));
                n.usedAt = now;
                break;
            }
        }
        scheduleSweep(SWEEP_MILLIS);
        return cast;
    }

    /** A node says how far children got with this node's casts. Any thread. */
    public void acked(Messages.CastsHandled msg) {
        for (int i = 0; i < msg.childIds.size(); i++) {
            Numbering n = numberings.get(msg.childIds.get(i));
            if (n == null)
                continue;
            synchronized (n) {
                if (n.stream != msg.streams[i])
                    continue;
                while (!n.unacked.isEmpty() && n.unacked.peek().cast.seq <= msg.seqs[i])
                    n.unacked.poll();
            }
        }
    }

    /** A node left: the casts sent to it and not acknowledged go again now. Any thread. */
    public void nodeLeft(UUID node) {
        sender.execute(() -> sweep(node));
    }

    /** Sweeps within {@code delay} ms: a sweep scheduled later (an idle one) does not stand in for it. */
    private synchronized void scheduleSweep(long delay) {
        long at = System.currentTimeMillis() + delay;
        if (sweepAt != 0 && sweepAt <= at)
            return;
        sweepAt = at;
        hub.timer.schedule(() -> sender.execute(() -> sweep(null)), delay, TimeUnit.MILLISECONDS);
    }

    /**
     * Sends again what waited too long for its acknowledgement or went to a node that is gone ({@code left}), gives up
     * what waited far too long, and forgets idle numberings; looks again while anything waits.
     */
    private void sweep(UUID left) {
        if (left == null)
            synchronized (this) {
                sweepAt = 0;
            }
        long now = System.currentTimeMillis();
        Map<String, List<SequencedCast>> again = new LinkedHashMap<>();
        boolean waiting = false;
        for (Map.Entry<String, Numbering> e : numberings.entrySet()) {
            Numbering n = e.getValue();
            synchronized (n) {
                int forgotten = 0;
                while (!n.unacked.isEmpty() && n.unacked.peek().firstSentAt < now - FORGET_MILLIS) {
                    n.unacked.poll();
                    forgotten++;
                }
                if (forgotten > 0)
                    dropped(e.getKey(), forgotten, "not acknowledged for " + FORGET_MILLIS + " ms");
                if (n.unacked.isEmpty()) {
                    if (now - n.usedAt > IDLE_MILLIS) {
                        n.retired = true;
                        numberings.remove(e.getKey(), n);
                    }
                    continue;
                }
                waiting = true;
                Sent oldest = n.unacked.peek();
                boolean resend = left != null ? containsTarget(n, left)
                    : oldest.sentAt < now - RESEND_MILLIS || !hub.isAlive(oldest.target);
                if (!resend)
                    continue;
                List<SequencedCast> casts = new ArrayList<>(n.unacked.size());
                long floor = n.floor(0);
                for (Sent s : n.unacked)
                    casts.add(s.cast.withFloor(floor));
                again.put(e.getKey(), casts);
            }
        }
        again.forEach(this::sendAgain);
        if (left == null && (waiting || !numberings.isEmpty()))
            scheduleSweep(waiting ? SWEEP_MILLIS : IDLE_MILLIS);
    }

    private static boolean containsTarget(Numbering n, UUID node) {
        for (Sent s : n.unacked)
            if (node.equals(s.target))
                return true;
        return false;
    }

    /** Sends a child's unacknowledged casts, in their order, to where it is now. */
    private void sendAgain(String childId, List<SequencedCast> casts) {
        UUID target = whereabouts.livesOn(childId) ? whereabouts.route(childId, false) : null;
        Numbering n = numberings.get(childId);
        if (target == null) {
            if (n != null)
                synchronized (n) {
                    n.unacked.clear();
                }
            dropped(childId, casts.size(), "it runs nowhere");
            return;
        }
        if (n != null) {
            long now = System.currentTimeMillis();
            synchronized (n) {
                for (Sent s : n.unacked) {
                    s.target = target;
                    s.sentAt = now;
                }
            }
        }
        hub.metrics.castsResent.add(casts.size());
        LOG.debug("Hub {} on {}: sending {} unacknowledged casts for {} again, to {}", hub.hubId, hub.localName, casts.size(),
            childId, target);
        transport.request(target, new Messages.HeldCasts(hub.localNodeId, childId, new ArrayList<>(casts), 0));
    }

    private void dropped(String childId, int count, String why) {
        hub.metrics.castsDropped.add(count);
        LOG.debug("Hub {} on {}: {} casts for child {} given up: {}", hub.hubId, hub.localName, count, childId, why);
    }
}
