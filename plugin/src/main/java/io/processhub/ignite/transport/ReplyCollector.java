package io.processhub.ignite.transport;

import io.processhub.ChildError;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Gathers the per-child answers to one request from every node it reached (forwarded children answer from
 * the node that handled them). Completes when every child has an answer, or at the timeout with
 * NODE_TIMEOUT for the silent ones.
 *
 * @param <R> the result the request completes with.
 */
public abstract class ReplyCollector<R> {
    /** Child id (with the replica index for a start) → node the request for it was sent to. */
    private final Map<String, String> outstanding = new HashMap<>();
    protected final List<ChildError> errors;
    public final CompletableFuture<R> done = new CompletableFuture<>();

    public ReplyCollector(List<ChildError> callerErrors) {
        this.errors = new ArrayList<>(callerErrors);
    }

    /** Registers a child sent to {@code node}, before any reply can arrive. */
    public synchronized void expect(String childId, String node) {
        outstanding.put(childId, node);
    }

    /** Takes the answer for a child; false if it already had one (a late or duplicate answer). */
    protected boolean answered(String childId) {
        return outstanding.remove(childId) != null;
    }

    protected void addErrors(List<ChildError> errs) {
        for (ChildError e : errs)
            if (answered(e.childId()))
                errors.add(e);
    }

    /** Children that could not be sent, or whose node never answered. */
    public synchronized void fail(List<String> keys, ChildError.Reason reason, String detail) {
        for (String key : keys) {
            String node = outstanding.remove(key);
            if (node != null)
                errors.add(new ChildError(childIdOf(key), node, reason, detail));
        }
        completeIfDone();
    }

    /** The child id of an outstanding key. */
    protected String childIdOf(String key) {
        return key;
    }

    /** The node that was to answer for some children left the cluster: they will get no answer from it. */
    public synchronized void nodeLeft(String node) {
        List<String> lost = new ArrayList<>();
        outstanding.forEach((key, target) -> {
            if (target.equals(node))
                lost.add(key);
        });
        if (!lost.isEmpty())
            fail(lost, ChildError.Reason.NODE_TIMEOUT, "node " + node + " left the cluster before answering");
    }

    public synchronized void timeOut(String detail) {
        fail(new ArrayList<>(outstanding.keySet()), ChildError.Reason.NODE_TIMEOUT, detail);
    }

    /** Called once everything was sent: completes at once when nothing had to be sent. */
    public synchronized void sent() {
        completeIfDone();
    }

    protected void completeIfDone() {
        if (outstanding.isEmpty())
            done.complete(result());
    }

    /** The result, built under the collector's lock once every child has an answer. */
    protected abstract R result();
}
