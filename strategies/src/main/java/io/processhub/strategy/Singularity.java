package io.processhub.strategy;

/** The default redundancy: exactly one instance of each child, on its first owner. */
public class Singularity implements RedundancyStrategy {
    @Override
    public int copies(int memberCount) {
        return 1;
    }
}
