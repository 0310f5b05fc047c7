package io.processhub.strategy;

/** Decides how often registry drift is looked for and repaired. */
public interface SynchronizationStrategy extends Strategy {
    /** Milliseconds between two anti-entropy rounds on a node. */
    long syncIntervalMillis();
}
