package io.processhub.ignite.checkpoint;

import java.util.List;
import javax.cache.processor.MutableEntry;
import org.apache.ignite.cache.CacheEntryProcessor;

/**
 * What one node asks of one child's checkpoint entry in one batch, in the order it asked: writes (the first of an
 * instance claims the child) and deletes. Runs on the entry's primary node, so the version rule is applied where the entry lives, atomically with
 * the change. {@link #apply} is the pure part.
 */
public final class CheckpointUpdate implements CacheEntryProcessor<String, CheckpointRecord, CheckpointUpdate.Outcome> {
    private static final long serialVersionUID = 1L;

    /** Claims the child (a new epoch) and writes the state as the first checkpoint of that epoch. */
    public static final byte CLAIM_WRITE = 1;
    public static final byte WRITE = 2;
    public static final byte DELETE = 3;

    /** One request. A plain class: Ignite's marshaller cannot store records. */
    public static final class Op {
        final byte kind;
        final long epoch;
        final long seq;
        final byte[] state;

        public Op(byte kind, long epoch, long seq, byte[] state) {
            this.kind = kind;
            this.epoch = epoch;
            this.seq = seq;
            this.state = state;
        }

        public static Op claimAndWrite(byte[] state) {
            return new Op(CLAIM_WRITE, 0, 1, state);
        }

        public static Op write(long epoch, long seq, byte[] state) {
            return new Op(WRITE, epoch, seq, state);
        }

        public static Op delete() {
            return new Op(DELETE, 0, 0, null);
        }
    }

    /** The answer: which requests took effect, and the entry as the last claim left it. */
    public static final class Outcome {
        public final boolean[] applied;
        /** The entry right after the last claim (its fence is the claimant's epoch); null without a claim. */
        public final CheckpointRecord claimed;
        /** The entry after all the requests; null if there is none. */
        final CheckpointRecord after;

        Outcome(boolean[] applied, CheckpointRecord claimed, CheckpointRecord after) {
            this.applied = applied;
            this.claimed = claimed;
            this.after = after;
        }
    }

    private final List<Op> ops;

    public CheckpointUpdate(List<Op> ops) {
        this.ops = ops;
    }

    /** The requests applied in order to a stored entry (null: none). Pure. */
    public static Outcome apply(CheckpointRecord stored, List<Op> ops) {
        boolean[] applied = new boolean[ops.size()];
        CheckpointRecord rec = stored;
        CheckpointRecord claimed = null;
        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            switch (op.kind) {
                case CLAIM_WRITE:
                    rec = CheckpointRecord.claimed(rec);
                    claimed = rec;
                    rec = rec.written(rec.fence(), op.seq, op.state);
                    applied[i] = true;
                    break;
                case WRITE:
                    if (CheckpointRecord.accepts(rec, op.epoch, op.seq)) {
                        rec = rec.written(op.epoch, op.seq, op.state);
                        applied[i] = true;
                    }
                    break;
                case DELETE:
                    rec = null;
                    applied[i] = true;
                    break;
                default:
                    throw new IllegalArgumentException("unknown checkpoint request " + op.kind);
            }
        }
        return new Outcome(applied, claimed, rec);
    }

    @Override
    public Outcome process(MutableEntry<String, CheckpointRecord> entry, Object... args) {
        CheckpointRecord stored = entry.exists() ? entry.getValue() : null;
        Outcome res = apply(stored, ops);
        if (res.after == null) {
            if (stored != null)
                entry.remove();
        }
        else if (res.after != stored)
            entry.setValue(res.after);
        return new Outcome(res.applied, res.claimed, null); // the final entry need not travel back
    }
}
