package io.processhub;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
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

    /**
     * Stores the state of this {@link StatefulChild} as its checkpoint (hubs with
     * {@link CheckpointConfiguration#isEnabled() checkpoints} only): {@code handoverState()} is taken on the child's
     * mailbox after the current message (never while {@code handle} runs) and written asynchronously, batched with
     * other children's checkpoints; the child never waits for it. If the child's node crashes, the instance that
     * takes the child over restores the last checkpoint stored. Checkpoints of one child never go backwards: a write
     * older than the stored one, or from an instance that another has since replaced, is refused; an instance whose
     * state misses a newer checkpoint stored by another instance gets that checkpoint ({@code restoreState}) instead
     * of storing its own.
     *
     * @return completes once the checkpoint is stored on its owner and backups (on a plugin thread: do not block it);
     *     exceptionally if checkpoints are off, the child is not a {@code StatefulChild}, this replica is not active,
     *     or the write failed or was refused (a newer instance of the child took over, or stored a newer state, which
     *     then replaced this one's); with a
     *     {@link QuorumLostException} if this node's side of the cluster has no quorum, or lost it while the write was
     *     under way (the checkpoint may not survive the split).
     */
    CompletableFuture<Void> checkpoint();
}
