package io.processhub.hook;

import io.processhub.ChildRef;

/** A child took over the state handed over by its previous instance on {@link #from()}. */
public class HandoverEvent extends HubEvent {
    private final ChildRef ref;
    private final String from;

    public HandoverEvent(Hook hook, String hubId, String node, ChildRef ref, String from) {
        super(hook, hubId, node);
        this.ref = ref;
        this.from = from;
    }

    /** The instance that received the state. */
    public ChildRef ref() {
        return ref;
    }

    /** Consistent id of the node the state came from. */
    public String from() {
        return from;
    }
}
