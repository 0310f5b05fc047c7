package io.processhub.strategy;

import java.io.Serializable;

/**
 * Common contract of every hub strategy: a JavaBean (no-arg constructor, setters) that checks its own
 * settings when the hub starts. Serializable, because configurations travel (for example inside an Ignite
 * affinity function).
 */
public interface Strategy extends Serializable {
    /**
     * Checks the settings of this strategy.
     *
     * @throws InvalidStrategyException naming the setting that is wrong and why.
     */
    default void validate() {
    }
}
