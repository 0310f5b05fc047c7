package io.processhub.ignite.registry;

import java.util.Iterator;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Batches this node applied from a read of the cache (to fill a gap, or after a digest check) whose own event had not
 * arrived. Around a topology change Ignite may deliver an event late rather than never; only a batch whose event is
 * still missing {@link #LATE_LIMIT_MILLIS} after the read counts as a lost event (a correction).
 */
final class MissedEvents {
    static final long LATE_LIMIT_MILLIS = 5_000;

    /** A batch read from the cache: how it was found, and when. */
    private static final class Read {
        final String how;
        final long at;

        Read(String how, long at) {
            this.how = how;
            this.at = at;
        }
    }

    private final ConcurrentHashMap<String, Read> awaited = new ConcurrentHashMap<>();

    void readFromCache(UUID writer, long seq, String how, long now) {
        awaited.putIfAbsent(writer + ":" + seq, new Read(how, now));
    }

    /** A batch's event arrived: if it was read from the cache before, it was late, not lost. */
    void arrived(UUID writer, long seq) {
        if (!awaited.isEmpty())
            awaited.remove(writer + ":" + seq);
    }

    /**
     * Removes and returns the batches whose event is still missing after the limit: "writer:seq" → how it was found.
     */
    Map<String, String> lost(long now) {
        Map<String, String> res = new java.util.TreeMap<>();
        for (Iterator<Map.Entry<String, Read>> it = awaited.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Read> e = it.next();
            if (now - e.getValue().at >= LATE_LIMIT_MILLIS) {
                res.put(e.getKey(), e.getValue().how);
                it.remove();
            }
        }
        return res;
    }
}
