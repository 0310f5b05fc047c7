package io.processhub.ignite.supervision;

import io.processhub.ProcessHub;
import io.processhub.ignite.hooks.HookDispatcher;
import io.processhub.ignite.inspection.HubMetrics;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.ignite.Ignite;

/** What the supervisor of one hub on one node works with, fixed when it is built. */
public final class SupervisionContext {
    public final String hubId;
    public final String localName;
    public final UUID localNodeId;
    /** Restart intensity: at most this many restarts of one child ... */
    public final int maxRestarts;
    /** ... within this window. */
    public final long restartWindowMillis;
    /** Messages (calls and casts) one child's mailbox holds; beyond it a message is refused at once. */
    public final int mailboxCapacity;
    /** The hub's serial loop: the supervisor's map of cells changes only there. */
    public final Executor loop;
    /** The threads the children's mailboxes run on. */
    public final Executor childPool;
    public final HookDispatcher hooks;
    public final HubMetrics metrics;
    /** Wall-clock milliseconds. */
    public final LongSupplier clock;
    /** The node and the hub's API, as children see them through their context (the API is built after the supervisor). */
    public final Supplier<Ignite> ignite;
    public final Supplier<ProcessHub> api;

    public SupervisionContext(String hubId, String localName, UUID localNodeId, int maxRestarts, long restartWindowMillis,
        int mailboxCapacity, Executor loop, Executor childPool, HookDispatcher hooks, HubMetrics metrics, LongSupplier clock,
        Supplier<Ignite> ignite, Supplier<ProcessHub> api) {
        this.hubId = hubId;
        this.localName = localName;
        this.localNodeId = localNodeId;
        this.maxRestarts = maxRestarts;
        this.restartWindowMillis = restartWindowMillis;
        this.mailboxCapacity = mailboxCapacity;
        this.loop = loop;
        this.childPool = childPool;
        this.hooks = hooks;
        this.metrics = metrics;
        this.clock = clock;
        this.ignite = ignite;
        this.api = api;
    }
}
