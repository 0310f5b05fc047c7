package io.processhub.ignite.supervision;

import io.processhub.ignite.checkpoint.CheckpointVersion;
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
    /** The claim under way (an instance's first checkpoint), or null. */
    CompletableFuture<Long> claim;
    /**
     * The newest stored checkpoint this instance's state includes: the one it restored, or every one it wrote under
     * the epoch it claimed. Its claims are refused while a newer one is stored: its state would send the child back.
     */
    CheckpointVersion base = CheckpointVersion.NONE;
    /**
     * The child received a handed-over (live) state and was not demoted since: no checkpoint is newer, so neither a
     * checkpoint read at its start nor one read when it is promoted may overwrite it, and its claim includes them all.
     */
    boolean liveState;
    /** Checkpoints asked for while the claim was under way, taken together once it answers. */
    private List<CompletableFuture<Void>> waiting;

    void await(CompletableFuture<Void> checkpoint) {
        if (waiting == null)
            waiting = new ArrayList<>(2);
        waiting.add(checkpoint);
    }

    /** The version a claim of this instance says its state includes. */
    CheckpointVersion claimBase() {
        return liveState ? CheckpointVersion.ALL : base;
    }

    /** The checkpoints that waited for the claim (empty if none). */
    List<CompletableFuture<Void>> takeWaiting() {
        List<CompletableFuture<Void>> res = waiting == null ? List.of() : waiting;
        waiting = null;
        return res;
    }
}
