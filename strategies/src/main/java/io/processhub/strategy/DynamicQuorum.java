package io.processhub.strategy;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A side may run children unless it lost too large a share of the hub recently: members that left within the
 * last {@link #getThresholdTimeSeconds() thresholdTimeSeconds} count as down, and quorum holds while {@code
 * connected / (connected + down)} is at least {@link #getQuorumSize() quorumSize} percent. A sudden loss (a
 * network split) trips it; nodes removed one by one, slower than the threshold, never do. A member that comes
 * back is no longer down. The verdict is taken on every membership change only, not as time passes: a side
 * without quorum stays so until the membership changes again, and then forgets the losses older than the
 * threshold (as ProcessHub does) — so on a lasting split the minority regains quorum at its next membership
 * change after the threshold. The down log is this node's own: a node that joins later starts with an empty one.
 */
public class DynamicQuorum implements PartitionToleranceStrategy {
    private static final long serialVersionUID = 1L;
    private static final long MAX_THRESHOLD_SECONDS = 365L * 24 * 3600;

    private int quorumSize = 51;
    private long thresholdTimeSeconds = 30;

    /** The share of the recent hub that must be connected, in percent (1..100). */
    public int getQuorumSize() {
        return quorumSize;
    }

    public DynamicQuorum setQuorumSize(int quorumSize) {
        this.quorumSize = quorumSize;
        return this;
    }

    /** How long a member that left counts as down. */
    public long getThresholdTimeSeconds() {
        return thresholdTimeSeconds;
    }

    public DynamicQuorum setThresholdTimeSeconds(long thresholdTimeSeconds) {
        this.thresholdTimeSeconds = thresholdTimeSeconds;
        return this;
    }

    @Override
    public Quorum newQuorum() {
        return new DownLog(quorumSize, thresholdTimeSeconds * 1000);
    }

    @Override
    public void validate() {
        if (quorumSize < 1 || quorumSize > 100)
            throw new InvalidStrategyException("DynamicQuorum.quorumSize", "must be a percentage from 1 to 100, was " + quorumSize);
        if (thresholdTimeSeconds < 1 || thresholdTimeSeconds > MAX_THRESHOLD_SECONDS)
            throw new InvalidStrategyException("DynamicQuorum.thresholdTimeSeconds",
                "must be from 1 to " + MAX_THRESHOLD_SECONDS + " (a year), was " + thresholdTimeSeconds);
    }

    /** Remembers when each member that left was last seen. */
    private static final class DownLog implements Quorum {
        private final int percent;
        private final long thresholdMillis;
        private final Map<String, Long> downSince = new HashMap<>();
        private Set<String> previous = Set.of();

        DownLog(int percent, long thresholdMillis) {
            this.percent = percent;
            this.thresholdMillis = thresholdMillis;
        }

        @Override
        public boolean hasQuorum(List<String> members, long nowMillis) {
            Set<String> current = new HashSet<>(members);
            for (String gone : previous)
                if (!current.contains(gone))
                    downSince.put(gone, nowMillis);
            downSince.keySet().removeAll(current);
            downSince.values().removeIf(since -> nowMillis - since > thresholdMillis);
            previous = current;
            long connected = current.size();
            long down = downSince.size();
            return connected * 100 >= (long)percent * (connected + down);
        }
    }
}
