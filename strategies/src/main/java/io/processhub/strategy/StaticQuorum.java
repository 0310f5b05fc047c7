package io.processhub.strategy;

import java.util.List;

/**
 * A side of the cluster may run children only while it sees at least {@link #getQuorumSize() quorumSize}
 * hub members. With {@code quorumSize} = a majority of the intended cluster size, at most one side of a
 * network split keeps running children.
 *
 * <p>As in ProcessHub, the verdict at start depends on {@link #isStartupConfirm() startupConfirm}: with it (true), a
 * node that starts below quorum starts partitioned and runs nothing until enough members are there. Without it (false,
 * ProcessHub's default), quorum is only lost by losing members: a node that starts below quorum runs children
 * normally, and so does a cluster that grows without ever reaching the quorum size; the first member lost while
 * below it takes quorum away, until the quorum size is reached again.
 */
public class StaticQuorum implements PartitionToleranceStrategy {
    private static final long serialVersionUID = 1L;

    private int quorumSize = 1;
    private boolean startupConfirm;

    public int getQuorumSize() {
        return quorumSize;
    }

    public void setQuorumSize(int quorumSize) {
        this.quorumSize = quorumSize;
    }

    public boolean isStartupConfirm() {
        return startupConfirm;
    }

    /** Whether a node starting below quorum starts partitioned (true), or runs children until it loses a member (false). */
    public void setStartupConfirm(boolean startupConfirm) {
        this.startupConfirm = startupConfirm;
    }

    @Override
    public Quorum newQuorum() {
        int size = quorumSize;
        if (startupConfirm)
            return (members, now) -> members.size() >= size;
        return new LossTriggered(size);
    }

    @Override
    public void validate() {
        if (quorumSize < 1)
            throw new InvalidStrategyException("StaticQuorum.quorumSize", "must be at least 1, was " + quorumSize);
    }

    /** Without startup confirmation: quorum is lost only by a membership that shrank below the quorum size. */
    private static final class LossTriggered implements Quorum {
        private final int size;
        /** Members at the previous verdict; -1 before the first one. */
        private int lastCount = -1;
        private boolean quorum = true;

        LossTriggered(int size) {
            this.size = size;
        }

        @Override
        public boolean hasQuorum(List<String> members, long nowMillis) {
            int count = members.size();
            if (count >= size)
                quorum = true;
            else if (lastCount >= 0 && count < lastCount)
                quorum = false;
            lastCount = count;
            return quorum;
        }
    }
}
