package io.processhub;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Outcome of a stop request: for each stopped child the nodes it was stopped on, and the errors. */
public final class StopResult {
    // Plain collections, handed out read-only: see StartResult (this class is ProcessHubService.stopChildren's reply).
    private final HashMap<String, List<String>> stopped;
    private final ArrayList<ChildError> errors;

    public StopResult(Map<String, List<String>> stopped, List<ChildError> errors) {
        this.stopped = new HashMap<>(stopped.size() * 2);
        stopped.forEach((id, nodes) -> this.stopped.put(Objects.requireNonNull(id), Results.copy(nodes)));
        this.errors = Results.copy(errors);
    }

    public boolean isOk() {
        return errors.isEmpty();
    }

    /** Child id → consistent ids of the nodes it was stopped on. */
    public Map<String, List<String>> stopped() {
        return Collections.unmodifiableMap(stopped);
    }

    public List<ChildError> errors() {
        return Collections.unmodifiableList(errors);
    }

    @Override
    public String toString() {
        return "StopResult[stopped=" + stopped.keySet() + ", errors=" + errors + ']';
    }
}
