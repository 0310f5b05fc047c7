package io.processhub.ignite.supervision.casts;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Where one child stands with each sender's casts ({@link SequencedCast}): the last seq it handled, and the casts that
 * came before an earlier one (held until the gap fills). A cast at or below the last one is handled already (sent
 * again, or passed on twice) and dropped. It moves with the child's state on a handover, so the next instance goes on
 * from there. Pure bookkeeping, touched from the child's mailbox only.
 */
public final class CastOrder {
    /** How long casts wait for an earlier one before the gap is given up (the sender sends its casts again within 1 s). */
    public static final long HOLD_MILLIS = 10_000;
    /** Casts held per sender at most: beyond, the gap is given up. */
    public static final int CAPACITY = 10_000;

    /** One sender's numbering of the child. Plain fields: it travels with a handed-over state. */
    static final class Stream {
        long id;
        long last;
        /** Casts that came early, by seq. */
        HashMap<Long, SequencedCast> early = new HashMap<>();
        /** When the oldest early cast came; 0 while none waits. */
        long waitingSince;

        Stream(long id, long last) {
            this.id = id;
            this.last = last;
        }
    }

    /** What to do with a cast that came. */
    public enum Verdict { DUE, EARLY, OLD }

    private final HashMap<UUID, Stream> streams = new HashMap<>();

    /**
     * Takes a cast in: DUE (handle it now, then {@link #nextDue}), EARLY (held here until the casts before it came) or
     * OLD (handled already, or of a numbering the sender gave up: drop it).
     */
    public Verdict admit(SequencedCast cast, long now) {
        Stream s = streams.get(cast.sender);
        if (s == null || cast.stream > s.id)
            streams.put(cast.sender, s = new Stream(cast.stream, cast.floor - 1));
        else if (cast.stream < s.id)
            return Verdict.OLD;
        if (cast.floor - 1 > s.last)
            skipTo(s, cast.floor - 1); // handled elsewhere (a move that lost this record): nothing to wait for
        if (cast.seq <= s.last || s.early.containsKey(cast.seq))
            return Verdict.OLD;
        if (cast.seq == s.last + 1) {
            s.last = cast.seq;
            return Verdict.DUE;
        }
        if (s.early.isEmpty())
            s.waitingSince = now;
        s.early.put(cast.seq, cast);
        return Verdict.EARLY;
    }

    /** The held cast of the sender that is due now (its predecessor was handled), or null. */
    public SequencedCast nextDue(UUID sender) {
        Stream s = streams.get(sender);
        if (s == null || s.early.isEmpty())
            return null;
        SequencedCast next = s.early.remove(s.last + 1);
        if (next == null)
            return null;
        s.last = next.seq;
        if (s.early.isEmpty())
            s.waitingSince = 0;
        return next;
    }

    /**
     * Gives up the gaps that held casts for {@value #HOLD_MILLIS} ms or beyond {@value #CAPACITY} casts: the senders
     * whose held casts are due now (take them with {@link #nextDue}), and in {@code skipped[0]} how many casts were
     * given up.
     */
    public List<UUID> giveUpGaps(long now, long[] skipped) {
        List<UUID> due = new ArrayList<>();
        for (Map.Entry<UUID, Stream> e : streams.entrySet()) {
            Stream s = e.getValue();
            if (s.early.isEmpty() || now - s.waitingSince < HOLD_MILLIS && s.early.size() < CAPACITY)
                continue;
            long first = Long.MAX_VALUE;
            for (long seq : s.early.keySet())
                first = Math.min(first, seq);
            skipped[0] += first - 1 - s.last;
            s.last = first - 1;
            s.waitingSince = now;
            due.add(e.getKey());
        }
        return due;
    }

    /** When the oldest held cast came, or 0 if none waits. */
    public long oldestWaiting() {
        long oldest = 0;
        for (Stream s : streams.values())
            if (s.waitingSince != 0 && (oldest == 0 || s.waitingSince < oldest))
                oldest = s.waitingSince;
        return oldest;
    }

    /** The last seq of the sender's stream handled (with the stream), for an acknowledgement; null if none. */
    public long[] position(UUID sender) {
        Stream s = streams.get(sender);
        return s == null ? null : new long[] {s.id, s.last};
    }

    /** Takes in the record a previous instance handed over: per sender, the later numbering and the further position. */
    public void merge(CastOrder previous) {
        for (Map.Entry<UUID, Stream> e : previous.streams.entrySet()) {
            Stream in = e.getValue();
            Stream s = streams.get(e.getKey());
            if (s == null || in.id > s.id) {
                streams.put(e.getKey(), copy(in));
                continue;
            }
            if (in.id < s.id)
                continue;
            if (in.last > s.last)
                skipTo(s, in.last);
            for (SequencedCast c : in.early.values())
                if (c.seq > s.last && s.early.putIfAbsent(c.seq, c) == null && s.waitingSince == 0)
                    s.waitingSince = in.waitingSince;
        }
    }

    /** A copy to hand over with the state: the instance here stops, the copy travels. */
    public CastOrder copy() {
        CastOrder res = new CastOrder();
        streams.forEach((sender, s) -> res.streams.put(sender, copy(s)));
        return res;
    }

    public boolean isEmpty() {
        return streams.isEmpty();
    }

    private static Stream copy(Stream s) {
        Stream res = new Stream(s.id, s.last);
        res.early.putAll(s.early);
        res.waitingSince = s.waitingSince;
        return res;
    }

    private static void skipTo(Stream s, long last) {
        s.last = last;
        s.early.keySet().removeIf(seq -> seq <= last);
        if (s.early.isEmpty())
            s.waitingSince = 0;
    }
}
