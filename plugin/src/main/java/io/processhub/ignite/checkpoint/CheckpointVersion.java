package io.processhub.ignite.checkpoint;

/**
 * The version of a stored checkpoint, (epoch, seq): the epoch an instance claimed, and the number of the checkpoint
 * within it. An instance's state "includes" a version when it was restored from that checkpoint or from a later one,
 * or when the instance wrote it itself. Immutable, pure.
 */
public final class CheckpointVersion implements Comparable<CheckpointVersion> {
    /** Included by every state: no checkpoint. */
    public static final CheckpointVersion NONE = new CheckpointVersion(0, 0);
    /** Includes every stored checkpoint: a live state handed over by the instance before, newer than its checkpoints. */
    public static final CheckpointVersion ALL = new CheckpointVersion(Long.MAX_VALUE, Long.MAX_VALUE);

    public final long epoch;
    public final long seq;

    public CheckpointVersion(long epoch, long seq) {
        this.epoch = epoch;
        this.seq = seq;
    }

    /** Every checkpoint an instance writes under the epoch it claimed: nobody else writes under it. */
    public static CheckpointVersion allOfEpoch(long epoch) {
        return new CheckpointVersion(epoch, Long.MAX_VALUE);
    }

    @Override
    public int compareTo(CheckpointVersion o) {
        return epoch != o.epoch ? Long.compare(epoch, o.epoch) : Long.compare(seq, o.seq);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CheckpointVersion && ((CheckpointVersion)o).epoch == epoch && ((CheckpointVersion)o).seq == seq;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(epoch) * 31 + Long.hashCode(seq);
    }

    @Override
    public String toString() {
        return this == ALL ? "all" : epoch + "/" + (seq == Long.MAX_VALUE ? "*" : String.valueOf(seq));
    }
}
