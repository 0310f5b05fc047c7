package io.processhub.strategy;

/** The default redundancy: exactly one instance of each child, on its first owner, always active. */
public class Singularity implements RedundancyStrategy {
    private static final long serialVersionUID = 1L;

    @Override
    public int copies(int memberCount) {
        return 1;
    }

    @Override
    public boolean allActive() {
        return false;
    }

    @Override
    public boolean signals(boolean active) {
        return false;
    }
}
