package io.processhub.ignite.transport;

import io.processhub.ChildError;
import io.processhub.ChildRef;
import io.processhub.StartResult;
import java.util.ArrayList;
import java.util.List;

/** Gathers the answers to one start request: one per replica, keyed by child id and replica index. */
public final class StartCollector extends ReplyCollector<StartResult> {
    private final List<ChildRef> started = new ArrayList<>();

    public StartCollector(List<ChildError> callerErrors) {
        super(callerErrors);
    }

    public static String key(String childId, int replica) {
        return childId + '#' + replica;
    }

    public synchronized void onReply(Messages.StartReply r) {
        for (int i = 0; i < r.started.size(); i++)
            if (answered(key(r.started.get(i).childId(), r.startedReplicas.get(i))))
                started.add(r.started.get(i));
        for (int i = 0; i < r.errors.size(); i++) {
            ChildError e = r.errors.get(i);
            if (answered(key(e.childId(), r.errorReplicas.get(i))))
                errors.add(e);
        }
        completeIfDone();
    }

    @Override
    protected String childIdOf(String key) {
        return key.substring(0, key.lastIndexOf('#'));
    }

    @Override
    protected StartResult result() {
        return new StartResult(started, errors, false);
    }
}
