package io.processhub.ignite.supervision;

import io.processhub.ignite.checkpoint.CheckpointStore;
import io.processhub.ignite.checkpoint.CheckpointVersion;
import io.processhub.ignite.checkpoint.ClaimRefusedException;
import io.processhub.ignite.checkpoint.StoredCheckpoint;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** A checkpoint store that keeps what it was asked, and answers reads and writes when a test says so. */
final class FakeCheckpointStore implements CheckpointStore {
    /** One write: child, version (0/1: a claim, with its base), state, and its future. */
    static final class Write {
        final String childId;
        final long epoch;
        final long seq;
        final CheckpointVersion base;
        final Object state;
        final CompletableFuture<Long> done = new CompletableFuture<>();

        Write(String childId, long epoch, long seq, CheckpointVersion base, Object state) {
            this.childId = childId;
            this.epoch = epoch;
            this.seq = seq;
            this.base = base;
            this.state = state;
        }

        /** Answers a claim: refused, as another instance stored {@code state} under {@code epoch} since. */
        void refuse(Object state, long epoch) {
            done.completeExceptionally(new ClaimRefusedException("refused by the test", stored(state, epoch)));
        }

        @Override
        public String toString() {
            return childId + "@" + epoch + "/" + seq + "=" + state;
        }
    }

    final List<Collection<String>> reads = new ArrayList<>();
    private final List<CompletableFuture<Map<String, StoredCheckpoint>>> pendingReads = new ArrayList<>();
    final List<Write> writes = new ArrayList<>();
    final List<String> deleted = new ArrayList<>();

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public CompletableFuture<Map<String, StoredCheckpoint>> read(Collection<String> childIds) {
        reads.add(new ArrayList<>(childIds));
        CompletableFuture<Map<String, StoredCheckpoint>> f = new CompletableFuture<>();
        pendingReads.add(f);
        return f;
    }

    /** A checkpoint stored by the claim of {@code epoch}: its first. */
    static StoredCheckpoint stored(Object state, long epoch) {
        return new StoredCheckpoint(state, new CheckpointVersion(epoch, 1), epoch);
    }

    /** Answers the oldest unanswered read with these states, each stored by the claim of epoch 1. */
    void answerRead(Map<String, Object> states) {
        Map<String, StoredCheckpoint> stored = new HashMap<>();
        states.forEach((id, state) -> stored.put(id, stored(state, 1)));
        answerStored(stored);
    }

    /** Answers the oldest unanswered read. */
    void answerStored(Map<String, StoredCheckpoint> stored) {
        for (CompletableFuture<Map<String, StoredCheckpoint>> f : pendingReads)
            if (!f.isDone()) {
                f.complete(stored);
                return;
            }
        throw new AssertionError("no read waits for an answer");
    }

    /** Fails the oldest unanswered read. */
    void failRead(Throwable error) {
        for (CompletableFuture<Map<String, StoredCheckpoint>> f : pendingReads)
            if (!f.isDone()) {
                f.completeExceptionally(error);
                return;
            }
        throw new AssertionError("no read waits for an answer");
    }

    @Override
    public CompletableFuture<Long> claim(String childId, CheckpointVersion base, Object state) {
        Write w = new Write(childId, 0, 1, base, state);
        writes.add(w);
        return w.done;
    }

    @Override
    public CompletableFuture<Long> write(String childId, long epoch, long seq, Object state) {
        Write w = new Write(childId, epoch, seq, null, state);
        writes.add(w);
        return w.done;
    }

    @Override
    public void delete(Collection<String> childIds) {
        deleted.addAll(childIds);
    }
}
