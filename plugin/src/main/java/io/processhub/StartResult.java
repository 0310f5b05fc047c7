package io.processhub;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Outcome of a start request: the refs of the children that started and one {@link ChildError} per child
 * that did not, one answer per child id. With {@link StartOptions.OnFailure#ROLLBACK} and any error the batch was
 * rolled back: {@link #rolledBack()} is true, nothing is listed as started, and the children that had started are
 * listed as ROLLED_BACK errors (or NODE_TIMEOUT if their node did not confirm the stop in time; it stops them anyway).
 */
public final class StartResult {
    // Plain ArrayLists, handed out read-only: Ignite writes a JDK immutable list with its Java-serialization fallback,
    // which thin clients in other languages cannot read (this class is ProcessHubService.startChildren's reply).
    private final ArrayList<ChildRef> started;
    private final ArrayList<ChildError> errors;
    private final boolean rolledBack;

    public StartResult(List<ChildRef> started, List<ChildError> errors, boolean rolledBack) {
        this.started = Results.copy(started);
        this.errors = Results.copy(errors);
        this.rolledBack = rolledBack;
    }

    public boolean isOk() {
        return errors.isEmpty();
    }

    public List<ChildRef> started() {
        return Collections.unmodifiableList(started);
    }

    public List<ChildError> errors() {
        return Collections.unmodifiableList(errors);
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
