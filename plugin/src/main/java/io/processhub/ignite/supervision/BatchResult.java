package io.processhub.ignite.supervision;

import io.processhub.ChildError;
import io.processhub.ChildRef;
import java.util.ArrayList;
import java.util.List;

/**
 * Refs started and errors of one node's part of a start request, each with the replica index it answers.
 * Filled on the hub loop.
 */
public final class BatchResult {
    public final List<ChildRef> started = new ArrayList<>();
    public final List<Integer> startedReplicas = new ArrayList<>();
    public final List<ChildError> errors = new ArrayList<>();
    public final List<Integer> errorReplicas = new ArrayList<>();

    public void started(ChildRef ref, int replica) {
        started.add(ref);
        startedReplicas.add(replica);
    }

    public void error(ChildError error, int replica) {
        errors.add(error);
        errorReplicas.add(replica);
    }
}
