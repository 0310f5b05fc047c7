package io.processhub.ignite;

import io.processhub.ChildError;
import io.processhub.StopResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Gathers the answers to one stop request; the stop counterpart of {@link StartCollector}. */
final class StopCollector {
    private final Map<String, String> outstanding = new HashMap<>();
    private final Map<String, List<String>> stopped = new HashMap<>();
    private final List<ChildError> errors;
    final CompletableFuture<StopResult> done = new CompletableFuture<>();

    StopCollector(List<ChildError> callerErrors) {
        this.errors = new ArrayList<>(callerErrors);
    }

    synchronized void expect(String childId, String node) {
        outstanding.put(childId, node);
    }

    synchronized void onReply(String node, List<String> stoppedIds, List<ChildError> errs) {
        for (String id : stoppedIds)
            if (outstanding.remove(id) != null)
                stopped.computeIfAbsent(id, k -> new ArrayList<>()).add(node);
        for (ChildError e : errs)
            if (outstanding.remove(e.childId()) != null)
                errors.add(e);
        completeIfDone();
    }

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
            done.complete(new StopResult(stopped, errors));
    }
}
