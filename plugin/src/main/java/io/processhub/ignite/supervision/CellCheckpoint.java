package io.processhub.ignite.supervision;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What one child's cell knows of its checkpoints, made when it first needs one (a hub without checkpoints keeps
 * none per child). Mailbox only.
 */
final class CellCheckpoint {
    /** The epoch the child's instance here writes with; 0 until its first checkpoint claimed one. */
    long epoch;
    /** The sequence number of the last checkpoint taken in that epoch. */
    long seq;
    /** A first checkpoint, which claims an epoch, is under way. */
    boolean claiming;
    /**
     * The highest epoch claimed by an instance of the child whose state this instance's state includes: restored from a
     * checkpoint written under it, or claimed by this instance. A stored checkpoint under a higher fence was written
     * by an instance that moved the child on since: this one's state is older. 0: none known.
     */
    long fence;
    /**
     * The child received a handed-over (live) state and was not demoted since: no checkpoint is newer, so neither a
     * checkpoint read at its start nor one read when it is promoted may overwrite it.
     */
    boolean liveState;
    /** Checkpoints asked for while the claim was under way, taken together once it answers. */
    private List<CompletableFuture<Void>> waiting;

    void await(CompletableFuture<Void> checkpoint) {
        if (waiting == null)
            waiting = new ArrayList<>(2);
        waiting.add(checkpoint);
    }

    /** The checkpoints that waited for the claim (empty if none). */
    List<CompletableFuture<Void>> takeWaiting() {
        List<CompletableFuture<Void>> res = waiting == null ? List.of() : waiting;
        waiting = null;
        return res;
    }
}
