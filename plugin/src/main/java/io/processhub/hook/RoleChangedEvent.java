package io.processhub.hook;

import io.processhub.ChildRef;
import io.processhub.ReplicaRole;

/** A replica's role changed: {@link #ref()} carries the new role. */
public class RoleChangedEvent extends HubEvent {
    private final ChildRef ref;
    private final ReplicaRole previous;

    public RoleChangedEvent(Hook hook, String hubId, String node, ChildRef ref, ReplicaRole previous) {
        super(hook, hubId, node);
        this.ref = ref;
        this.previous = previous;
    }

    public ChildRef ref() {
        return ref;
    }

    public ReplicaRole previous() {
        return previous;
    }

    public ReplicaRole current() {
        return ref.role();
    }
}
