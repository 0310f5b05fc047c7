package io.processhub.ignite.supervision;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Where the supervisor keeps its children's checkpoints (a cache of the hub, in a running hub). Every call returns at
 * once: the store batches the work and completes the futures later, on a thread of its own.
 */
public interface CheckpointStore {
    /** What an instance that becomes active learns of its child's checkpoint by claiming it. */
    final class Claimed {
        /** The epoch the claiming instance writes with: higher than any instance's of the child before it. */
        public final long epoch;
        /** The last checkpoint's state, or null if the child has none. */
        public final Object state;

        public Claimed(long epoch, Object state) {
            this.epoch = epoch;
            this.state = state;
        }
    }

    /** Whether the hub keeps checkpoints; if not, the other calls must not be made. */
    boolean enabled();

    /**
     * Claims the checkpoints of children whose instance here becomes active: each gets a new epoch, so writes of
     * the instances before it are refused from now on, and the stored state. Completes with a claim per child id.
     */
    CompletableFuture<Map<String, Claimed>> claim(Collection<String> childIds);

    /**
     * Stores a state (taken from the child just now, on its mailbox) under the version (epoch, seq); completes once
     * stored, exceptionally if refused (a newer version is stored, or a newer instance claimed the child) or failed.
     */
    CompletableFuture<Void> write(String childId, long epoch, long seq, Object state);

    /** Deletes the checkpoints of children stopped for good. */
    void delete(Collection<String> childIds);

    /** A hub without checkpoints. */
    CheckpointStore NONE = new CheckpointStore() {
        @Override
        public boolean enabled() {
            return false;
        }

        @Override
        public CompletableFuture<Map<String, Claimed>> claim(Collection<String> childIds) {
            return CompletableFuture.completedFuture(Map.of());
        }

        @Override
        public CompletableFuture<Void> write(String childId, long epoch, long seq, Object state) {
            return CompletableFuture.failedFuture(new IllegalStateException("checkpoints are off"));
        }

        @Override
        public void delete(Collection<String> childIds) {
        }
    };
}
