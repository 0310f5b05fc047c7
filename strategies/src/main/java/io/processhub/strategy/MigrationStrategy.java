package io.processhub.strategy;

/** Decides how a child moves when its owner changes. */
public interface MigrationStrategy extends Strategy {
    /**
     * Whether the new owner starts the child while the old owner still runs it (the old one stops once the
     * new one runs, after handing its state over). {@code false}: stop first, then start.
     */
    boolean startBeforeStop();

    /** Whether the old instance hands its state to the new one (children implementing StatefulChild). */
    default boolean handover() {
        return false;
    }

    /** Milliseconds the old instance waits for the new owner to take its state before stopping anyway. */
    default long retentionMillis() {
        return 0;
    }
}
