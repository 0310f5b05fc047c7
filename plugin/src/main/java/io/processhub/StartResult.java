package io.processhub;

import java.util.List;
import java.util.Optional;

/**
 * Outcome of a start request: the refs of the children that started and one {@link ChildError} per child
 * (and node) that did not. With {@link StartOptions.OnFailure#ROLLBACK} and any error, the children that had
 * started were stopped again: {@link #rolledBack()} is true and they are listed as ROLLED_BACK errors.
 */
public final class StartResult {
    private final List<ChildRef> started;
    private final List<ChildError> errors;
    private final boolean rolledBack;

    public StartResult(List<ChildRef> started, List<ChildError> errors, boolean rolledBack) {
        this.started = List.copyOf(started);
        this.errors = List.copyOf(errors);
        this.rolledBack = rolledBack;
    }

    public boolean isOk() {
        return errors.isEmpty();
    }

    public List<ChildRef> started() {
        return started;
    }

    public List<ChildError> errors() {
        return errors;
    }

    public boolean rolledBack() {
        return rolledBack;
    }

    /** The ref of a started child. */
    public Optional<ChildRef> ref(String childId) {
        return started.stream().filter(r -> r.childId().equals(childId)).findFirst();
    }

    /** The error reported for a child. */
    public Optional<ChildError> error(String childId) {
        return errors.stream().filter(e -> childId.equals(e.childId())).findFirst();
    }

    @Override
    public String toString() {
        return "StartResult[started=" + started.size() + ", errors=" + errors + (rolledBack ? ", rolled back" : "") + ']';
    }
}
