package io.processhub.ignite.checkpoint;


/**
 * One child's entry in the checkpoint cache: the last checkpoint stored, its version, and the fence. A version is
 * (epoch, seq): every instance that becomes active claims the child, which raises the fence to a new epoch, and
 * numbers its checkpoints within that epoch. A checkpoint is stored only if it was written under the current
 * fence and is newer than the stored one: an instance that another has since replaced (an old owner still
 * running during a move, a write of a crashed node arriving late) can never overwrite a newer state.
 * Immutable, a plain class (Ignite's marshaller cannot store records). Pure logic, no Ignite.
 */
public final class CheckpointRecord {
    /** The highest epoch claimed: only writes of this epoch are accepted. */
    private final long fence;
    /** The version of the stored state; 0/0 while there is none. */
    private final long epoch;
    private final long seq;
    /** The marshalled state; null while there is none (only claimed so far). */
    private final byte[] state;

    public CheckpointRecord(long fence, long epoch, long seq, byte[] state) {
        this.fence = fence;
        this.epoch = epoch;
        this.seq = seq;
        this.state = state;
    }

    /** The entry after an instance claimed the child: the next epoch, the same checkpoint. */
    public static CheckpointRecord claimed(CheckpointRecord stored) {
        return stored == null ? new CheckpointRecord(1, 0, 0, null)
            : new CheckpointRecord(stored.fence + 1, stored.epoch, stored.seq, stored.state);
    }

    /**
     * Whether a checkpoint of version (epoch, seq) may replace what is stored: only under the current fence (the
     * entry exists: the writer claimed it, and it was not deleted since), and only forward.
     */
    public static boolean accepts(CheckpointRecord stored, long epoch, long seq) {
        return stored != null && epoch == stored.fence
            && (epoch > stored.epoch || epoch == stored.epoch && seq > stored.seq);
    }

    /**
     * Whether a state that includes checkpoint version {@code base} includes the stored checkpoint too: no entry, no
     * checkpoint stored yet (version 0/0), or one no newer than {@code base}.
     */
    public static boolean includedIn(CheckpointRecord stored, CheckpointVersion base) {
        return stored == null || stored.version().compareTo(base) <= 0;
    }

    public CheckpointVersion version() {
        return new CheckpointVersion(epoch, seq);
    }

    /** This entry with a new checkpoint; the caller checked {@link #accepts}. */
    public CheckpointRecord written(long epoch, long seq, byte[] state) {
        return new CheckpointRecord(fence, epoch, seq, state);
    }

    public long fence() {
        return fence;
    }

    public long epoch() {
        return epoch;
    }

    public long seq() {
        return seq;
    }

    public byte[] state() {
        return state;
    }

    @Override
    public String toString() {
        return "CheckpointRecord[fence=" + fence + ", version=" + epoch + "/" + seq + (state == null ? ", no state]" : "]");
    }
}
