package io.processhub;

import java.time.Duration;

/** Options of a stop request. */
public final class StopOptions {
    private static final StopOptions DEFAULTS = new StopOptions(Duration.ofSeconds(10));

    private final Duration timeout;

    private StopOptions(Duration timeout) {
        this.timeout = timeout;
    }

    public static StopOptions defaults() {
        return DEFAULTS;
    }

    /**
     * How long to wait for the nodes' answers, at least 1 ms.
     *
     * @throws IllegalArgumentException if the timeout is zero or negative (or shorter than a millisecond)
     */
    public StopOptions timeout(Duration timeout) {
        return new StopOptions(StartOptions.checkTimeout(timeout));
    }

    public Duration timeout() {
        return timeout;
    }
}
