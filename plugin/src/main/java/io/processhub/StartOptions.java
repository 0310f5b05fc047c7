package io.processhub;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
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

    private static final StartOptions DEFAULTS = new StartOptions(Duration.ofSeconds(10), true, OnFailure.CONTINUE, Map.of(), null);

    private final Duration timeout;
    private final boolean checkExisting;
    private final OnFailure onFailure;
    private final Map<String, String> metadata;
    /** Null: no mapping given. */
    private final Map<String, List<String>> childMapping;

    private StartOptions(Duration timeout, boolean checkExisting, OnFailure onFailure, Map<String, String> metadata,
        Map<String, List<String>> childMapping) {
        this.timeout = timeout;
        this.checkExisting = checkExisting;
        this.onFailure = onFailure;
        this.metadata = metadata;
        this.childMapping = childMapping;
    }

    /** Timeout 10 s, check existing, CONTINUE on failure, no extra metadata, no child mapping. */
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
        return new StartOptions(checkTimeout(timeout), checkExisting, onFailure, metadata, childMapping);
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
        return new StartOptions(timeout, check, onFailure, metadata, childMapping);
    }

    public StartOptions onFailure(OnFailure policy) {
        return new StartOptions(timeout, checkExisting, Objects.requireNonNull(policy, "onFailure"), metadata, childMapping);
    }

    /** Metadata added to every child of the request (a spec's own entries win). */
    public StartOptions metadata(Map<String, String> metadata) {
        return new StartOptions(timeout, checkExisting, onFailure, Map.copyOf(new HashMap<>(metadata)), childMapping);
    }

    /**
     * The node(s) of each child, for a hub that distributes by {@code Guided}: child id → node names (the hub's node
     * names, i.e. consistent ids, as {@link ProcessHub#nodes()} lists them), one per replica, the first one first.
     * Each child of the request needs an entry naming exactly as many member nodes as it has replicas; otherwise it is
     * not started and its error says why (MISSING_CHILD_MAPPING, CHILD_MAPPING_MISMATCH, INVALID_CHILD_MAPPING,
     * CHILD_REPLICATION_MISMATCH, UNKNOWN_NODE). Other distribution strategies ignore the mapping. The mapping is kept
     * in each child's metadata under {@link ChildMapping#METADATA_KEY}.
     *
     * @throws NullPointerException for a null mapping, child id, node list or node name
     * @throws IllegalArgumentException for a node name holding a comma
     */
    public StartOptions childMapping(Map<String, ? extends List<String>> mapping) {
        Objects.requireNonNull(mapping, "childMapping");
        return new StartOptions(timeout, checkExisting, onFailure, metadata, ChildMapping.copy(mapping));
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

    /** The child mapping (Guided), or null if none was given. */
    public Map<String, List<String>> childMapping() {
        return childMapping;
    }
}
