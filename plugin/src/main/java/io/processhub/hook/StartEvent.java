package io.processhub.hook;

import io.processhub.ChildError;
import io.processhub.ChildRef;
import java.util.List;

/** The outcome of starting a group of children on this node. */
public class StartEvent extends HubEvent {
    private final List<ChildRef> started;
    private final List<ChildError> errors;

    public StartEvent(Hook hook, String hubId, String node, List<ChildRef> started, List<ChildError> errors) {
        super(hook, hubId, node);
        this.started = List.copyOf(started);
        this.errors = List.copyOf(errors);
    }

    public List<ChildRef> started() {
        return started;
    }

    public List<ChildError> errors() {
        return errors;
    }
}
