package io.processhub.ignite.supervision.casts;

import java.util.UUID;

/**
 * A cast with its place in its sender's order: the sending node numbers its casts per child ({@code seq} from 1 within
 * a {@code stream}), so the child's node can handle them in that order and each once ({@link CastOrder}), however
 * they travelled. Plain fields: Ignite marshals it between nodes.
 */
public final class SequencedCast {
    /** The node that sent it. */
    public final UUID sender;
    /** The sender's numbering of the child: a new one (a higher id) starts again at 1. */
    public final long stream;
    public final long seq;
    /**
     * The lowest seq of the stream the sender had no acknowledgement for when it sent this one: every earlier cast was
     * handled (by this instance or one whose state it took over), so none of them is waited for.
     */
    public final long floor;
    public final Object message;

    public SequencedCast(UUID sender, long stream, long seq, long floor, Object message) {
        this.sender = sender;
        this.stream = stream;
        this.seq = seq;
        this.floor = floor;
        this.message = message;
    }

    /** The same cast with a newer floor (sent again). */
    public SequencedCast withFloor(long newFloor) {
        return new SequencedCast(sender, stream, seq, newFloor, message);
    }

    @Override
    public String toString() {
        return "cast " + seq + " of stream " + stream + " from " + sender;
    }
}
