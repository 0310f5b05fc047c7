package io.processhub.bench;

import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import io.processhub.ReplicaRole;
import io.processhub.examples.CounterChild;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * What one node's hub would ask its writer to publish: starts of new children, stops of running ones, in batches
 * of {@code batch} changes. A stop only picks a child that was running when the phase began: a hub stops children
 * whose start it saw, and two async writes of one key in flight at once may be applied in either order.
 */
final class FloorWorkload {
    final FloorWriter writer;
    private final String node;
    private final UUID nodeId;
    private final int batch;
    private final Random random;
    private final ArrayList<String> live = new ArrayList<>();
    private final ArrayList<String> startedInPhase = new ArrayList<>();
    private List<FloorChange> pending = new ArrayList<>();
    private long nextId;
    long starts;
    long stops;

    FloorWorkload(FloorWriter writer, String node, UUID nodeId, int batch) {
        this.writer = writer;
        this.node = node;
        this.nodeId = nodeId;
        this.batch = batch;
        this.random = new Random(writer.writer);
    }

    int live() {
        return live.size() + startedInPhase.size();
    }

    void start(String prefix, int count) {
        for (int i = 0; i < count; i++)
            startOne(prefix);
        endPhase();
    }

    /** {@code ops} changes, each a start or (half of the time, when one runs) a stop of a random running child. */
    void churn(String prefix, int ops) {
        for (int i = 0; i < ops; i++) {
            if (!live.isEmpty() && random.nextBoolean()) {
                int k = random.nextInt(live.size());
                String id = live.get(k);
                live.set(k, live.get(live.size() - 1));
                live.remove(live.size() - 1);
                stopOne(id);
            }
            else
                startOne(prefix);
        }
        endPhase();
    }

    void stopAll() {
        while (!live.isEmpty())
            stopOne(live.remove(live.size() - 1));
        endPhase();
    }

    private void startOne(String prefix) {
        String id = prefix + writer.writer + "-" + nextId++;
        ChildSpec spec = ChildSpec.of(id, CounterChild.class);
        add(FloorChange.start(spec, new ChildRef("bench", id, node, nodeId, 1, ReplicaRole.ACTIVE)));
        startedInPhase.add(id);
        starts++;
    }

    private void stopOne(String id) {
        add(FloorChange.stop(id));
        stops++;
    }

    private void add(FloorChange c) {
        pending.add(c);
        if (pending.size() >= batch)
            flush();
    }

    private void flush() {
        if (!pending.isEmpty()) {
            writer.publish(pending);
            pending = new ArrayList<>();
        }
    }

    private void endPhase() {
        flush();
        live.addAll(startedInPhase);
        startedInPhase.clear();
    }
}
