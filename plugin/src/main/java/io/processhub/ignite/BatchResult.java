package io.processhub.ignite;

import io.processhub.ChildError;
import io.processhub.ChildRef;
import java.util.ArrayList;
import java.util.List;

/** Refs started and errors of one node's part of a start request. Filled on the hub loop. */
final class BatchResult {
    final List<ChildRef> started = new ArrayList<>();
    final List<ChildError> errors = new ArrayList<>();
}
