package io.processhub.ignite.registry;

/**
 * Versions of registry changes, one {@code long}: the membership epoch (Ignite topology version) in the top 24 bits,
 * a Lamport counter in the next 28, the writer's node order (low 12 bits) at the bottom. A change made under a newer
 * topology beats any change made under an older one, so a stale owner's write loses deterministically; within one
 * topology, a writer's next version is above every version it has applied (Lamport), so a change made after seeing
 * another wins over it; the writer bits make two writers' versions differ.
 */
public final class VersionClock {
    private static final int EPOCH_SHIFT = 40;
    private static final int WRITER_BITS = 12;
    private static final long WRITER_MASK = (1L << WRITER_BITS) - 1;

    private final long writerBits;
    /** The highest version seen or issued, writer bits cleared. */
    private long last;

    /** @param nodeOrder the writer's {@code ClusterNode.order()}: unique among the cluster's nodes */
    public VersionClock(long nodeOrder) {
        this.writerBits = nodeOrder & WRITER_MASK;
    }

    /** The version of a change made now, under topology version {@code epoch}. */
    public synchronized long next(long epoch) {
        long base = Math.max(last, epoch << EPOCH_SHIFT);
        last = base + (1L << WRITER_BITS);
        return last | writerBits;
    }

    /** A version applied here: the next change made here beats it. */
    public synchronized void observe(long version) {
        long v = version & ~WRITER_MASK;
        if (v > last)
            last = v;
    }

    /** The bits that tell which writer issued a version. */
    public static long writerBitsOf(long version) {
        return version & WRITER_MASK;
    }

    public long writerBits() {
        return writerBits;
    }

}
