package io.processhub;

import java.time.Duration;
import java.util.Objects;

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

    public StopOptions timeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative())
            throw new IllegalArgumentException("timeout must not be negative: " + timeout);
        return new StopOptions(timeout);
    }

    public Duration timeout() {
        return timeout;
    }
}
