package io.processhub.ignite.reconcile;

import io.processhub.ReplicaRole;

/** The one thing a node does about one child in a reconcile pass, as {@link Decide} judged from its facts. */
public final class Decision {
    public enum Action {
        /** Everything is as it should be. */
        NOTHING,
        /** Something is under way (a start, a stop, a move, a registration, a retirement): look again later. */
        WAIT,
        /** Start this node's replica ({@link #replica} is its owner index). */
        START,
        /** Stop the replica here as migrated (it no longer belongs here), without handing anything over. */
        STOP_MIGRATED,
        /** Hand the replica's state to the child's first owner, which runs its replica, then stop it here. */
        HAND_OVER,
        /** Give the running replica the role {@link #role}. */
        SET_ROLE,
        /** Write this node's replica entry again: the registry lacks it or holds an older one. */
        REGISTER_REPLICA,
        /** Write the spec entry again: it stayed missing while the child, started here by a request, runs here. */
        REGISTER_SPEC,
        /**
         * Stop the replica here: its spec is gone (the child was stopped, the stop racing this replica's start by the
         * reconciler), and only the node a request started it on may record the spec again.
         */
        STOP_ORPHAN,
        /** Remove this node's replica entry: no replica runs here. */
        DROP_OWN_ENTRY,
        /** This node retired the child and its spec is gone: end the tombstone and drop any entry left here. */
        END_RETIREMENT,
        /** This node retired the child but its spec came back (a late write won): remove it again. */
        RETIRE_AGAIN
    }

    public static final Decision NOTHING = new Decision(Action.NOTHING, null, -1);
    public static final Decision WAIT = new Decision(Action.WAIT, null, -1);
    public static final Decision STOP_MIGRATED = new Decision(Action.STOP_MIGRATED, null, -1);
    public static final Decision HAND_OVER = new Decision(Action.HAND_OVER, null, -1);
    public static final Decision REGISTER_REPLICA = new Decision(Action.REGISTER_REPLICA, null, -1);
    public static final Decision REGISTER_SPEC = new Decision(Action.REGISTER_SPEC, null, -1);
    public static final Decision STOP_ORPHAN = new Decision(Action.STOP_ORPHAN, null, -1);
    public static final Decision DROP_OWN_ENTRY = new Decision(Action.DROP_OWN_ENTRY, null, -1);
    public static final Decision END_RETIREMENT = new Decision(Action.END_RETIREMENT, null, -1);
    public static final Decision RETIRE_AGAIN = new Decision(Action.RETIRE_AGAIN, null, -1);

    public final Action action;
    /** For SET_ROLE: the new role. */
    public final ReplicaRole role;
    /** For START: the owner index of the replica to start. */
    public final int replica;

    private Decision(Action action, ReplicaRole role, int replica) {
        this.action = action;
        this.role = role;
        this.replica = replica;
    }

    public static Decision start(int replica) {
        return new Decision(Action.START, null, replica);
    }

    public static Decision setRole(ReplicaRole role) {
        return new Decision(Action.SET_ROLE, role, -1);
    }

    @Override
    public String toString() {
        return action == Action.START ? "START(" + replica + ")" : action == Action.SET_ROLE ? "SET_ROLE(" + role + ")" : action.name();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Decision))
            return false;
        Decision d = (Decision)o;
        return action == d.action && role == d.role && replica == d.replica;
    }

    @Override
    public int hashCode() {
        return action.hashCode() * 31 + replica;
    }
}
