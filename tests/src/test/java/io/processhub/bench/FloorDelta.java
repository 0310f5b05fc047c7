package io.processhub.bench;

/** One batch of a writer, stored append-only under (writer, seq): the changes in the order the writer made them. */
final class FloorDelta {
    final int writer;
    final long seq;
    final FloorChange[] changes;

    FloorDelta(int writer, long seq, FloorChange[] changes) {
        this.writer = writer;
        this.seq = seq;
        this.changes = changes;
    }
}
