package io.processhub.ignite;

import io.processhub.ChildError;
import io.processhub.ChildRef;
import io.processhub.StartResult;
import java.util.ArrayList;
import java.util.List;

/** Gathers the answers to one start request. */
final class StartCollector extends ReplyCollector<StartResult> {
    private final List<ChildRef> started = new ArrayList<>();

    StartCollector(List<ChildError> callerErrors) {
        super(callerErrors);
    }

    synchronized void onReply(List<ChildRef> refs, List<ChildError> errs) {
        for (ChildRef r : refs)
            if (answered(r.childId()))
                started.add(r);
        addErrors(errs);
        completeIfDone();
    }

    @Override
    protected StartResult result() {
        return new StartResult(started, errors, false);
    }
}
