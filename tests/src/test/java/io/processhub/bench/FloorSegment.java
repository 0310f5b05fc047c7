package io.processhub.bench;

import java.util.HashMap;

/**
 * Everything one writer holds in one segment (a partition or a range of partitions), rewritten whole on change.
 * {@code seq} is the writer's batch that wrote it and {@code parts} the number of segments that batch wrote, so a
 * reader knows when a batch is complete. As a compaction snapshot, {@code seq} is the last delta it covers.
 */
final class FloorSegment {
    final int writer;
    final long seq;
    final int parts;
    final HashMap<String, FloorChange> records;

    FloorSegment(int writer, long seq, int parts, HashMap<String, FloorChange> records) {
        this.writer = writer;
        this.seq = seq;
        this.parts = parts;
        this.records = records;
    }
}
