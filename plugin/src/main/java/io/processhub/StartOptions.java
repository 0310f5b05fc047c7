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
        /**
         * All or nothing: if any child of the batch fails (NODE_TIMEOUT included), nothing of the batch stays
         * running. Children that started are stopped and unregistered, and a start that reaches its node after the
         * caller gave up (after the timeout, or after the rollback) is refused there or stopped as soon as it is done.
         */
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

    /**
     * How long to wait for the owners' answers, at least 1 ms; children without an answer by then get NODE_TIMEOUT.
     * NODE_TIMEOUT means "no answer in time", not "not started": under {@link OnFailure#CONTINUE} such a child may
     * still start (and register) once its owner gets to it; under {@link OnFailure#ROLLBACK} it is stopped, or its
     * late start refused.
     *
     * @throws IllegalArgumentException if the timeout is zero or negative (or shorter than a millisecond)
     */
    public StartOptions timeout(Duration timeout) {
        return new StartOptions(checkTimeout(timeout), checkExisting, onFailure, metadata);
    }

    /** A timeout of at least 1 ms: a zero timeout would give up before any owner could possibly answer. */
    static Duration checkTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.toMillis() < 1)
            throw new IllegalArgumentException("timeout must be at least 1 ms, was " + timeout);
        return timeout;
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
