package io.processhub.strategy;

import java.util.List;

/**
 * A side may run children while it sees a strict majority of the largest hub it has known: {@code members >=
 * largest / 2 + 1}. The largest size starts at {@link #getInitialClusterSize() initialClusterSize} (or the
 * members seen when the hub starts, if more) and, with {@link #isTrackMaxSize() trackMaxSize}, grows with every
 * larger membership seen. A split therefore leaves at most one side running children; scaling the cluster down
 * on purpose needs {@code ProcessHub.resetClusterSize}, or the smaller cluster would count as a minority.
 */
public class MajorityQuorum implements PartitionToleranceStrategy {
    private static final long serialVersionUID = 1L;

    private int initialClusterSize = 1;
    private boolean trackMaxSize = true;

    public int getInitialClusterSize() {
        return initialClusterSize;
    }

    public MajorityQuorum setInitialClusterSize(int initialClusterSize) {
        this.initialClusterSize = initialClusterSize;
        return this;
    }

    public boolean isTrackMaxSize() {
        return trackMaxSize;
    }

    public MajorityQuorum setTrackMaxSize(boolean trackMaxSize) {
        this.trackMaxSize = trackMaxSize;
        return this;
    }

    @Override
    public Quorum newQuorum() {
        return new Majority(initialClusterSize, trackMaxSize);
    }

    @Override
    public void validate() {
        if (initialClusterSize < 1)
            throw new InvalidStrategyException("MajorityQuorum.initialClusterSize", "must be at least 1, was " + initialClusterSize);
    }

    /** Remembers the largest cluster size seen. */
    private static final class Majority implements Quorum {
        private final boolean track;
        private int largest;
        private boolean seenAny;

        Majority(int initial, boolean track) {
            this.largest = initial;
            this.track = track;
        }

        @Override
        public boolean hasQuorum(List<String> members, long nowMillis) {
            if (track || !seenAny)
                largest = Math.max(largest, members.size());
            seenAny = true;
            return members.size() >= largest / 2 + 1;
        }

        @Override
        public void resetClusterSize(int size) {
            if (size < 1)
                throw new IllegalArgumentException("cluster size must be at least 1, was " + size);
            largest = size;
        }
    }
}
