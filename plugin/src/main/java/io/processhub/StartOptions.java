package io.processhub;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/** Options of a start request. Immutable; the setters return copies. */
public final class StartOptions {
    /** What a batch does when one of its children fails to start. */
    public enum OnFailure {
        /** Keep the children that started (ProcessHub's default). */
        CONTINUE,
        /** Stop the children that started: all or nothing. */
        ROLLBACK
    }

    private static final StartOptions DEFAULTS = new StartOptions(Duration.ofSeconds(10), true, OnFailure.CONTINUE, Map.of());

    private final Duration timeout;
    private final boolean checkExisting;
    private final OnFailure onFailure;
    private final Map<String, String> metadata;

    private StartOptions(Duration timeout, boolean checkExisting, OnFailure onFailure, Map<String, String> metadata) {
        this.timeout = timeout;
        this.checkExisting = checkExisting;
        this.onFailure = onFailure;
        this.metadata = metadata;
    }

    /** Timeout 10 s, check existing, CONTINUE on failure, no extra metadata. */
    public static StartOptions defaults() {
        return DEFAULTS;
    }

    /** How long to wait for the owners' answers; children not answered for get NODE_TIMEOUT. */
    public StartOptions timeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative())
            throw new IllegalArgumentException("timeout must not be negative: " + timeout);
        return new StartOptions(timeout, checkExisting, onFailure, metadata);
    }

    /** Whether to reject ids the local registry already lists (ALREADY_STARTED) before sending anything. */
    public StartOptions checkExisting(boolean check) {
        return new StartOptions(timeout, check, onFailure, metadata);
    }

    public StartOptions onFailure(OnFailure policy) {
        return new StartOptions(timeout, checkExisting, Objects.requireNonNull(policy, "onFailure"), metadata);
    }

    /** Metadata added to every child of the request (a spec's own entries win). */
    public StartOptions metadata(Map<String, String> metadata) {
        return new StartOptions(timeout, checkExisting, onFailure, Map.copyOf(new HashMap<>(metadata)));
    }

    public Duration timeout() {
        return timeout;
    }

    public boolean checkExisting() {
        return checkExisting;
    }

    public OnFailure onFailure() {
        return onFailure;
    }

    public Map<String, String> metadata() {
        return metadata;
    }
}
