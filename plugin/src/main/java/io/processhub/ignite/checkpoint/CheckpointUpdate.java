package io.processhub.ignite.checkpoint;

import java.util.List;
import javax.cache.processor.MutableEntry;
import org.apache.ignite.cache.CacheEntryProcessor;

/**
 * What one node asks of one child's checkpoint entry in one batch, in the order it asked: claims (an instance's first
 * write), writes and deletes. Runs on the entry's primary node, so the version rule is applied where the entry lives, atomically with
 * the change. {@link #apply} is the pure part.
 */
public final class CheckpointUpdate implements CacheEntryProcessor<String, CheckpointRecord, CheckpointUpdate.Outcome> {
    private static final long serialVersionUID = 1L;

    /**
     * Claims the child (a new epoch) and writes the state as the first checkpoint of that epoch, if the claimant's
     * state includes the stored checkpoint.
     */
    public static final byte CLAIM_WRITE = 1;
    public static final byte WRITE = 2;
    public static final byte DELETE = 3;

    /** One request. A plain class: Ignite's marshaller cannot store records. */
    public static final class Op {
        final byte kind;
        /** A write's version; a claim's base: the version of the newest checkpoint the claimant's state includes. */
        final long epoch;
        final long seq;
        final byte[] state;

        public Op(byte kind, long epoch, long seq, byte[] state) {
            this.kind = kind;
            this.epoch = epoch;
            this.seq = seq;
            this.state = state;
        }

        public static Op claimAndWrite(CheckpointVersion base, byte[] state) {
            return new Op(CLAIM_WRITE, base.epoch, base.seq, state);
        }

        public static Op write(long epoch, long seq, byte[] state) {
            return new Op(WRITE, epoch, seq, state);
        }

        public static Op delete() {
            return new Op(DELETE, 0, 0, null);
        }
    }

    /** The answer: which requests took effect, and the entry as the last claim left it or as it refused it. */
    public static final class Outcome {
        public final boolean[] applied;
        /** The entry right after the last claim (its fence is the claimant's epoch); null without a claim. */
        public final CheckpointRecord claimed;
        /** The entry that refused the last refused claim (newer than the claimant's state); null if none was. */
        public final CheckpointRecord refusedBy;
        /** The entry after all the requests; null if there is none. */
        final CheckpointRecord after;

        Outcome(boolean[] applied, CheckpointRecord claimed, CheckpointRecord refusedBy, CheckpointRecord after) {
            this.applied = applied;
            this.claimed = claimed;
            this.refusedBy = refusedBy;
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
        CheckpointRecord refusedBy = null;
        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            switch (op.kind) {
                case CLAIM_WRITE:
                    if (!CheckpointRecord.includedIn(rec, new CheckpointVersion(op.epoch, op.seq))) {
                        refusedBy = rec;
                        break;
                    }
                    rec = CheckpointRecord.claimed(rec);
                    claimed = rec;
                    rec = rec.written(rec.fence(), 1, op.state); // the first checkpoint of the epoch claimed
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
        return new Outcome(applied, claimed, refusedBy, rec);
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
        return new Outcome(res.applied, res.claimed, res.refusedBy, null); // the final entry need not travel back
    }
}
