package io.processhub.ignite.supervision;

import io.processhub.ChildRef;

/** A role change a running replica went through: the ref it had before, and the state it held then if one was asked for. */
public final class RoleChange {
    public final ChildRef previous;
    /** The child's {@code handoverState()} taken in the same mailbox turn as the change; null if not asked for or none. */
    public final Object state;

    RoleChange(ChildRef previous, Object state) {
        this.previous = previous;
        this.state = state;
    }
}
