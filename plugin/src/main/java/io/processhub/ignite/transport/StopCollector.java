package io.processhub.ignite.transport;

import io.processhub.ChildError;
import io.processhub.StopResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Gathers the answers to one stop request. */
public final class StopCollector extends ReplyCollector<StopResult> {
    private final Map<String, List<String>> stopped = new HashMap<>();

    public StopCollector(List<ChildError> callerErrors) {
        super(callerErrors);
    }

    public synchronized void onReply(String node, List<String> stoppedIds, List<ChildError> errs) {
        for (String id : stoppedIds)
            if (answered(id))
                stopped.computeIfAbsent(id, k -> new ArrayList<>()).add(node);
        addErrors(errs);
        completeIfDone();
    }

    @Override
    protected StopResult result() {
        return new StopResult(stopped, errors);
    }
}
