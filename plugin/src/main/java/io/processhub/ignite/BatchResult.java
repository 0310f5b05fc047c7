package io.processhub.ignite;

import io.processhub.ChildError;
import io.processhub.ChildRef;
import java.util.ArrayList;
import java.util.List;

/**
 * Refs started and errors of one node's part of a start request, each with the replica index it answers.
 * Filled on the hub loop.
 */
final class BatchResult {
    final List<ChildRef> started = new ArrayList<>();
    final List<Integer> startedReplicas = new ArrayList<>();
    final List<ChildError> errors = new ArrayList<>();
    final List<Integer> errorReplicas = new ArrayList<>();

    void started(ChildRef ref, int replica) {
        started.add(ref);
        startedReplicas.add(replica);
    }

    void error(ChildError error, int replica) {
        errors.add(error);
        errorReplicas.add(replica);
    }
}
