package io.processhub;

import java.util.Map;
import org.apache.ignite.Ignite;

/** What a running child knows about itself and its hub. */
public interface ChildContext {
    /** The child's id. */
    String childId();

    /** The id of the hub the child belongs to. */
    String hubId();

    /** The ref of this instance: node and incarnation. */
    ChildRef self();

    /** Role of this replica. */
    ReplicaRole role();

    /** Metadata (tags) of the child. */
    Map<String, String> metadata();

    /** The local Ignite node. */
    Ignite ignite();

    /** The hub, to talk to other children. */
    ProcessHub hub();

    /**
     * Asks for a clean shutdown of this child. A {@link RestartPolicy#TRANSIENT TRANSIENT} or
     * {@link RestartPolicy#TEMPORARY TEMPORARY} child is then stopped and unregistered cluster-wide; a
     * {@link RestartPolicy#PERMANENT PERMANENT} one is restarted.
     */
    void exit();

    /**
     * Reports that the child died outside {@code start}/{@code handle} (for example its own background task
     * failed). The supervisor treats it as a crash.
     */
    void fail(Throwable cause);
}
