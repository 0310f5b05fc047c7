package io.processhub.strategy;

/**
 * Common contract of every hub strategy: a JavaBean (no-arg constructor, setters) that checks its own
 * settings when the hub starts.
 */
public interface Strategy {
    /**
     * Checks the settings of this strategy.
     *
     * @throws InvalidStrategyException naming the setting that is wrong and why.
     */
    default void validate() {
    }
}
