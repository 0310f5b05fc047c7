package io.processhub;

import java.util.List;
import java.util.Map;

/** Outcome of a stop request: for each stopped child the nodes it was stopped on, and the errors. */
public final class StopResult {
    private final Map<String, List<String>> stopped;
    private final List<ChildError> errors;

    public StopResult(Map<String, List<String>> stopped, List<ChildError> errors) {
        this.stopped = Map.copyOf(stopped);
        this.errors = List.copyOf(errors);
    }

    public boolean isOk() {
        return errors.isEmpty();
    }

    /** Child id → consistent ids of the nodes it was stopped on. */
    public Map<String, List<String>> stopped() {
        return stopped;
    }

    public List<ChildError> errors() {
        return errors;
    }

    @Override
    public String toString() {
        return "StopResult[stopped=" + stopped.keySet() + ", errors=" + errors + ']';
    }
}
