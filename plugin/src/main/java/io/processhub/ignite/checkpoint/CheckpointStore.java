package io.processhub.ignite.checkpoint;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Where the supervisor keeps its children's checkpoints (a cache of the hub, in a running hub). Every call returns at
 * once: the store batches the work and completes the futures later, on a thread of its own.
 */
public interface CheckpointStore {
    /** Whether the hub keeps checkpoints; if not, the other calls must not be made. */
    boolean enabled();

    /** The last checkpoints of these children, by id (a child without one is absent): one batched read. */
    CompletableFuture<Map<String, StoredCheckpoint>> read(Collection<String> childIds);

    /**
     * Claims the child for an instance and writes its state (taken just now, on its mailbox) as the first checkpoint of
     * the claimed epoch: a new epoch, higher than any instance's before, whose writes are refused from then on. Only if
     * the instance's state includes the stored checkpoint ({@code base} at least its version): a state that does not
     * would send the checkpoint back. Completes with the epoch claimed; exceptionally with
     * {@link ClaimRefusedException}, carrying the newer checkpoint, if refused, or with another error if failed.
     */
    CompletableFuture<Long> claim(String childId, CheckpointVersion base, Object state);

    /**
     * Stores a state (taken from the child just now, on its mailbox) under the version (epoch, seq) of an epoch the
     * instance claimed. Completes with the epoch, exceptionally if refused (a newer version is stored, or a newer
     * instance claimed the child) or failed.
     */
    CompletableFuture<Long> write(String childId, long epoch, long seq, Object state);

    /** Deletes the checkpoints of children stopped for good. */
    void delete(Collection<String> childIds);

    /** A hub without checkpoints. */
    CheckpointStore NONE = new CheckpointStore() {
        @Override
        public boolean enabled() {
            return false;
        }

        @Override
        public CompletableFuture<Map<String, StoredCheckpoint>> read(Collection<String> childIds) {
            return CompletableFuture.completedFuture(Map.of());
        }

        @Override
        public CompletableFuture<Long> claim(String childId, CheckpointVersion base, Object state) {
            return CompletableFuture.failedFuture(new IllegalStateException("checkpoints are off"));
        }

        @Override
        public CompletableFuture<Long> write(String childId, long epoch, long seq, Object state) {
            return CompletableFuture.failedFuture(new IllegalStateException("checkpoints are off"));
        }

        @Override
        public void delete(Collection<String> childIds) {
        }
    };
}
