package io.processhub.ignite;

import io.processhub.ChildError;
import io.processhub.ChildRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Gathers the answers to one start request from every node it reached (forwarded children answer from
 * their real owner). Completes when every child has an answer, or at the timeout with NODE_TIMEOUT for the
 * silent ones.
 */
final class StartCollector {
    private final Map<String, String> outstanding = new HashMap<>();
    private final List<ChildRef> started = new ArrayList<>();
    private final List<ChildError> errors;
    final CompletableFuture<StartCollector> done = new CompletableFuture<>();

    StartCollector(List<ChildError> callerErrors) {
        this.errors = new ArrayList<>(callerErrors);
    }

    /** Registers a child sent to {@code node}. Before any reply can arrive. */
    synchronized void expect(String childId, String node) {
        outstanding.put(childId, node);
    }

    synchronized void onReply(List<ChildRef> refs, List<ChildError> errs) {
        for (ChildRef r : refs)
            if (outstanding.remove(r.childId()) != null)
                started.add(r);
        for (ChildError e : errs)
            if (outstanding.remove(e.childId()) != null)
                errors.add(e);
        completeIfDone();
    }

    /** Children that could not be sent, or whose node never answered. */
    synchronized void fail(List<String> childIds, ChildError.Reason reason, String detail) {
        for (String id : childIds) {
            String node = outstanding.remove(id);
            if (node != null)
                errors.add(new ChildError(id, node, reason, detail));
        }
        completeIfDone();
    }

    synchronized void timeOut(String detail) {
        fail(new ArrayList<>(outstanding.keySet()), ChildError.Reason.NODE_TIMEOUT, detail);
    }

    /** Called once everything was sent: completes at once when nothing had to be sent. */
    synchronized void sent() {
        completeIfDone();
    }

    private void completeIfDone() {
        if (outstanding.isEmpty())
            done.complete(this);
    }

    synchronized List<ChildRef> started() {
        return new ArrayList<>(started);
    }

    synchronized List<ChildError> errors() {
        return new ArrayList<>(errors);
    }
}
