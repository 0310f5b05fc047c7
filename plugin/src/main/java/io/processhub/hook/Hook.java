package io.processhub.hook;

/**
 * Every event a hub reports, ProcessHub's hook catalogue in Java form, with the event class each one
 * delivers. Handlers run on the hub's hook thread of the node where the event happens.
 */
public enum Hook {
    /** A node is about to be added to the hub's membership (fires on the nodes already in the hub). */
    PRE_CLUSTER_JOIN(MembershipEvent.class),
    /** A node was added to the hub's membership and placement was recomputed. */
    POST_CLUSTER_JOIN(MembershipEvent.class),
    /** A member left or failed and is about to be removed from the membership. */
    PRE_CLUSTER_LEAVE(MembershipEvent.class),
    /** A member was removed from the membership. */
    POST_CLUSTER_LEAVE(MembershipEvent.class),
    /** A replica entry was added to (or changed in) this node's copy of the registry. */
    REGISTRY_PID_INSERTED(RegistryEvent.class),
    /** A replica entry was removed from this node's copy of the registry (also after a crash of its node). */
    REGISTRY_PID_REMOVED(RegistryEvent.class),
    /** This node moved children away to their new owners (stopped them here). */
    CHILDREN_MIGRATED(ChildrenEvent.class),
    /** This node forwarded start requests for children it does not own to their owner. */
    FORWARDED_MIGRATION(ChildrenEvent.class),
    /** This node started or finished handling a membership change ({@code ProcessHub.isLocked()}). */
    PRIORITY_STATE_UPDATED(LockEvent.class),
    /** A membership change is about to be handled on this node. */
    PRE_NODES_REDISTRIBUTION(RedistributionEvent.class),
    /** A membership change was handled on this node. */
    POST_NODES_REDISTRIBUTION(RedistributionEvent.class),
    /** Children are about to be started on this node (a request, a takeover, or a repair). */
    PRE_CHILDREN_START(ChildrenEvent.class),
    /** Children were started (or failed to) on this node; not yet registered. */
    POST_CHILDREN_START(StartEvent.class),
    /** This node is about to start children it took over (a node left, joined, or drift was repaired). */
    PRE_CHILDREN_REDISTRIBUTION(ChildrenEvent.class),
    /** The hub is stopping on this node. */
    HUB_SHUTDOWN(HubEvent.class),
    /** Children started on this node are registered cluster-wide. */
    PROCESS_STARTUPS(StartEvent.class),
    /** A child was restarted on this node and has a new ref. */
    CHILD_PID_UPDATED(PidUpdatedEvent.class),
    /** A child is about to be created on this node: handlers may replace its spec (class, arguments, metadata). */
    CHILD_DATA_ALTER(ChildDataAlterEvent.class),
    /** A replica on this node became active or passive (promotion, demotion, failover). */
    REPLICA_ROLE_CHANGED(RoleChangedEvent.class),
    /** A child on this node took over the state of its previous instance (HotSwap handover). */
    HANDOVER_COMPLETED(HandoverEvent.class),
    /** The partition-tolerance strategy says this side lost quorum: children stop, starts are refused. */
    QUORUM_LOST(QuorumEvent.class),
    /** Quorum is back: this side runs its children again. */
    QUORUM_REGAINED(QuorumEvent.class),
    /**
     * A member started draining ({@code ProcessHub.drain}): it takes no placements and its children move away.
     * Fires once on every node of the hub when it sees the change.
     */
    NODE_DRAINING(DrainEvent.class),
    /** A draining member was undrained: it takes placements again. Not fired when a draining member leaves. */
    NODE_UNDRAINED(DrainEvent.class);

    private final Class<? extends HubEvent> eventType;

    Hook(Class<? extends HubEvent> eventType) {
        this.eventType = eventType;
    }

    /** The class of the events this hook delivers. */
    public Class<? extends HubEvent> eventType() {
        return eventType;
    }
}
