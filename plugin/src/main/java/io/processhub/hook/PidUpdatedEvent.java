package io.processhub.hook;

import io.processhub.ChildRef;

/** A child restarted in place by its supervisor. */
public class PidUpdatedEvent extends HubEvent {
    private final ChildRef previous;
    private final ChildRef current;

    public PidUpdatedEvent(Hook hook, String hubId, String node, ChildRef previous, ChildRef current) {
        super(hook, hubId, node);
        this.previous = previous;
        this.current = current;
    }

    public ChildRef previous() {
        return previous;
    }

    public ChildRef current() {
        return current;
    }
}
