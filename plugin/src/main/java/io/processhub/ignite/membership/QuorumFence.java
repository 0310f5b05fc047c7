package io.processhub.ignite.membership;

import io.processhub.ignite.HubContext;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Whether a write this node made counts on the side of a split it ended up on. While this side has no quorum
 * ({@link #quorumLost}) writes are refused. A write issued before the verdict can still finish after it: a cache write
 * waits for the primaries on the side that is gone and is remapped onto this side's topology once they are declared
 * failed. So a write that finished on a topology the loop has not ruled on yet waits for that verdict
 * ({@link #settle}): if quorum was lost since it was issued, it may live only on the side that lost, and its writer
 * must take it back or report it failed, never acknowledge it. Used by the registry's writer and the checkpoints.
 */
public final class QuorumFence {
    /** A write finished on a topology the loop has not ruled on yet: look again this often, at most this many times. */
    private static final long VERDICT_POLL_MILLIS = 10;
    private static final int VERDICT_POLLS = 500;

    /** What a write was issued under. */
    public static final class Ticket {
        final long losses;
        final long topologyVersion;

        Ticket(long losses, long topologyVersion) {
            this.losses = losses;
            this.topologyVersion = topologyVersion;
        }
    }

    /** The verdict on a finished write. */
    public interface Verdict {
        /** Whether quorum was lost between the write's issue and its end. */
        void settled(boolean quorumLostMeanwhile);
    }

    private final HubContext hub;
    /** Whether this side lacks quorum: then nothing is written. */
    private volatile boolean fenced;
    /** Quorum losses so far (written on the loop only): a write issued before one does not count. */
    private volatile long losses;

    public QuorumFence(HubContext hub) {
        this.hub = hub;
    }

    /** This side lost quorum: from now on nothing is written, and writes still in flight do not count. Loop only. */
    public void quorumLost() {
        losses++;
        fenced = true;
    }

    /** Loop only. */
    public void quorumRegained() {
        fenced = false;
    }

    /** Whether this side lacks quorum now: a write is not to be issued. Any thread. */
    public boolean isFenced() {
        return fenced;
    }

    /** Taken as a write is issued. Any thread. */
    public Ticket issue() {
        return new Ticket(losses, hub.membership().topologyVersion());
    }

    /**
     * Once the write issued under {@code ticket} has finished: tells {@code verdict} whether quorum was lost since,
     * at once if it finished under the topology it was issued on, else on the loop once the loop has ruled on the
     * topology it finished on (or has stopped trying: the node is stopping). Any thread.
     */
    public void settle(Ticket ticket, Verdict verdict) {
        long completedAt = currentTopologyVersion();
        if (completedAt <= ticket.topologyVersion && ticket.losses == losses)
            verdict.settled(false);
        else if (!hub.loop.execute(() -> awaitVerdict(ticket, completedAt, 0, verdict)))
            verdict.settled(ticket.losses != losses);
    }

    private void awaitVerdict(Ticket ticket, long completedAt, int polls, Verdict verdict) {
        if (hub.membership().topologyVersion() < completedAt && polls < VERDICT_POLLS) {
            try {
                hub.timer.schedule(() -> {
                    if (!hub.loop.execute(() -> awaitVerdict(ticket, completedAt, polls + 1, verdict)))
                        verdict.settled(ticket.losses != losses);
                }, VERDICT_POLL_MILLIS, TimeUnit.MILLISECONDS);
            }
            catch (RejectedExecutionException e) {
                verdict.settled(ticket.losses != losses);
            }
            return;
        }
        verdict.settled(ticket.losses != losses);
    }

    private long currentTopologyVersion() {
        try {
            return hub.ignite.cluster().topologyVersion();
        }
        catch (RuntimeException e) {
            return Long.MAX_VALUE; // the node is stopping: the loop's polls end with it (or after VERDICT_POLLS)
        }
    }
}
