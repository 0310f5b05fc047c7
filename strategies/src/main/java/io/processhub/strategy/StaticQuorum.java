package io.processhub.strategy;

/**
 * A side of the cluster may run children only while it sees at least {@link #getQuorumSize() quorumSize}
 * hub members. With {@code quorumSize} = a majority of the intended cluster size, at most one side of a
 * network split keeps running children.
 */
public class StaticQuorum implements PartitionToleranceStrategy {
    private static final long serialVersionUID = 1L;

    private int quorumSize = 1;

    public int getQuorumSize() {
        return quorumSize;
    }

    public void setQuorumSize(int quorumSize) {
        this.quorumSize = quorumSize;
    }

    @Override
    public Quorum newQuorum() {
        int size = quorumSize;
        return (members, now) -> members.size() >= size;
    }

    @Override
    public void validate() {
        if (quorumSize < 1)
            throw new InvalidStrategyException("StaticQuorum.quorumSize", "must be at least 1, was " + quorumSize);
    }
}
