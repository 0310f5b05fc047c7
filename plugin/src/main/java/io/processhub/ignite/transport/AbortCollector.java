package io.processhub.ignite.transport;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Gathers the answers to the abort of a ROLLBACK batch: one per node it was sent to, each naming the children of
 * the batch that node stopped. Completes with every child confirmed stopped, once each node answered or at the
 * timeout (a node that did not answer still stops them when the abort reaches it).
 */
public final class AbortCollector extends ReplyCollector<Set<String>> {
    private final Set<String> stopped = new HashSet<>();

    public AbortCollector() {
        super(List.of());
    }

    /** The abort goes to {@code node}; keyed by the node's name, as the node left events are. */
    public void expect(String node) {
        expect(node, node);
    }

    /** A node's answer; also taken from a node the abort was passed on to, while the collector is still open. */
    public synchronized void onReply(String node, List<String> stoppedIds) {
        if (done.isDone())
            return;
        stopped.addAll(stoppedIds);
        answered(node);
        completeIfDone();
    }

    @Override
    protected Set<String> result() {
        return new HashSet<>(stopped);
    }
}
