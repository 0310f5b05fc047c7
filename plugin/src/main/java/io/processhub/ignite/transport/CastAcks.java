package io.processhub.ignite.transport;

import io.processhub.ignite.HubContext;
import io.processhub.ignite.supervision.casts.CastReceipts;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Tells the nodes that cast to this node's children how far each child got ({@link Messages.CastsHandled}), so they
 * forget those casts instead of sending them again. Gathered for {@value #FLUSH_MILLIS} ms, then one message per
 * sending node, never one per cast; nothing is scheduled while no cast comes.
 */
public final class CastAcks implements CastReceipts {
    private static final long FLUSH_MILLIS = 5;

    private final HubContext hub;
    private final Transport transport;
    /** Where acknowledgements are sent: a send may block. */
    private final Executor sender;
    /** Per sending node, per child, {stream, seq}. Guarded by this. */
    private Map<UUID, Map<String, long[]>> due = new HashMap<>();

    public CastAcks(HubContext hub, Transport transport, Executor sender) {
        this.hub = hub;
        this.transport = transport;
        this.sender = sender;
    }

    @Override
    public void handled(String childId, UUID node, long stream, long seq) {
        boolean first;
        synchronized (this) {
            first = due.isEmpty();
            long[] at = due.computeIfAbsent(node, k -> new HashMap<>()).get(childId);
            if (at == null || at[0] < stream || at[0] == stream && at[1] < seq)
                due.get(node).put(childId, new long[] {stream, seq});
        }
        if (first)
            hub.timer.schedule(() -> sender.execute(this::flush), FLUSH_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void flush() {
        Map<UUID, Map<String, long[]>> batch;
        synchronized (this) {
            batch = due;
            due = new HashMap<>();
        }
        batch.forEach((node, children) -> {
            List<String> ids = new ArrayList<>(children.size());
            long[] streams = new long[children.size()];
            long[] seqs = new long[children.size()];
            int i = 0;
            for (Map.Entry<String, long[]> e : children.entrySet()) {
                ids.add(e.getKey());
                streams[i] = e.getValue()[0];
                seqs[i++] = e.getValue()[1];
            }
            // A sender that left needs none; one that misses this sends those casts again and hears of them then.
            transport.reply(node, new Messages.CastsHandled(ids, streams, seqs));
        });
    }
}
