package io.processhub.hook;

import io.processhub.ChildRef;

/** A replica entry added to or removed from this node's copy of the registry. */
public class RegistryEvent extends HubEvent {
    private final String childId;
    private final ChildRef ref;

    public RegistryEvent(Hook hook, String hubId, String node, String childId, ChildRef ref) {
        super(hook, hubId, node);
        this.childId = childId;
        this.ref = ref;
    }

    public String childId() {
        return childId;
    }

    /** The ref inserted, or the ref removed. */
    public ChildRef ref() {
        return ref;
    }
}
