package io.processhub.strategy;

/**
 * The default migration: the old owner stops the child and unregisters it, then the new owner starts it.
 * A short gap, never two instances, no state carried over.
 */
public class ColdSwap implements MigrationStrategy {
    private static final long serialVersionUID = 1L;

    @Override
    public boolean startBeforeStop() {
        return false;
    }
}
