package io.processhub.ignite.hooks;

import io.processhub.ignite.SerialExecutor;
import io.processhub.ChildSpec;
import io.processhub.hook.ChildDataAlterEvent;
import io.processhub.hook.DuplicateHookIdException;
import io.processhub.hook.Hook;
import io.processhub.hook.HookHandler;
import io.processhub.hook.HookRegistration;
import io.processhub.hook.Hooks;
import io.processhub.hook.HubEvent;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The hook handlers of one hub on one node, and the thread they run on. Events are built only when a hook
 * has handlers, and dispatched in order on a single hook thread, so a slow or throwing handler delays other
 * handlers but never the hub loop, a child, or Ignite.
 *
 * <p>The hook queue is bounded ({@link #MAX_QUEUED_EVENTS}): a handler that blocks for good must not let events
 * pile up until the node runs out of memory. When it is full, events are dropped, never waited for (the hub loop
 * fires them), counted ({@code hookEventsDropped}) and logged once per overflow.
 */
public final class HookDispatcher implements Hooks {
    private static final Logger LOG = LogManager.getLogger(HookDispatcher.class);
    /** Events a hub's hook thread may have queued on one node. */
    public static final int MAX_QUEUED_EVENTS = 100_000;

    /** Handlers per hook, highest priority first (ties in registration order). */
    private final Map<Hook, CopyOnWriteArrayList<HookRegistration>> handlers = new EnumMap<>(Hook.class);
    private final SerialExecutor executor;
    private final String hubId;
    private final String node;
    private final LongAdder dropped = new LongAdder();
    /** Whether the queue is full since the last event it took: the overflow is logged once. */
    private final AtomicBoolean overflowing = new AtomicBoolean();

    /** Handlers run on {@code workers}, one event at a time, in order. */
    public HookDispatcher(String hubId, String node, List<HookRegistration> configured, Executor workers) {
        this(hubId, node, configured, workers, MAX_QUEUED_EVENTS);
    }

    HookDispatcher(String hubId, String node, List<HookRegistration> configured, Executor workers, int capacity) {
        this.hubId = hubId;
        this.node = node;
        for (Hook h : Hook.values())
            handlers.put(h, new CopyOnWriteArrayList<>());
        executor = new SerialExecutor("processhub-hooks-" + hubId + "-" + node, workers, capacity);
        for (HookRegistration r : configured)
            register(r.getHook(), r.getId(), r.getPriority(), r.getHandler());
    }

    @Override
    public synchronized void register(Hook hook, String id, int priority, HookHandler<? extends HubEvent> handler) {
        Objects.requireNonNull(hook, "hook");
        Objects.requireNonNull(handler, "handler");
        if (id == null || id.isBlank())
            throw new IllegalArgumentException("a hook handler id must not be null or blank");
        CopyOnWriteArrayList<HookRegistration> list = handlers.get(hook);
        for (HookRegistration r : list)
            if (r.getId().equals(id))
                throw new DuplicateHookIdException("hook " + hook + " of hub " + hubId + " already has a handler with id '" + id + "'");
        // One atomic insert after every handler of the same or a higher priority: events dispatched meanwhile
        // see the list before or after it, never a list without the other handlers.
        int at = 0;
        while (at < list.size() && list.get(at).getPriority() >= priority)
            at++;
        list.add(at, new HookRegistration(hook, id, priority, handler));
    }

    @Override
    public synchronized void cancel(Hook hook, String id) {
        handlers.get(hook).removeIf(r -> r.getId().equals(id));
    }

    @Override
    public List<String> registered(Hook hook) {
        List<String> ids = new ArrayList<>();
        for (HookRegistration r : handlers.get(hook))
            ids.add(r.getId());
        return ids;
    }

    public boolean has(Hook hook) {
        return !handlers.get(hook).isEmpty();
    }

    /** Queues an event for the hook's handlers; the event is built only if there are any. Any thread. */
    public void fire(Hook hook, Supplier<? extends HubEvent> event) {
        List<HookRegistration> list = handlers.get(hook);
        if (list.isEmpty())
            return;
        HubEvent e = event.get();
        try {
            executor.execute(() -> {
                for (HookRegistration r : list)
                    invoke(r, e);
            });
            overflowing.set(false);
        }
        catch (RejectedExecutionException full) {
            if (executor.isShutdown())
                return; // the hub is stopping
            dropped.increment();
            if (overflowing.compareAndSet(false, true))
                LOG.warn("Hub {} on {}: {} hook events wait for a handler that does not return; {} and later events are "
                    + "dropped until it catches up", hubId, node, executor.backlog(), hook);
        }
    }

    /** Events queued for the hook thread. */
    public int backlog() {
        return executor.backlog();
    }

    /** Events dropped because the queue was full. */
    public long dropped() {
        return dropped.sum();
    }

    /** Runs the alter chain in the calling thread (a child's mailbox) and returns the spec to create. */
    public ChildSpec alter(ChildSpec spec) {
        List<HookRegistration> list = handlers.get(Hook.CHILD_DATA_ALTER);
        if (list.isEmpty())
            return spec;
        ChildDataAlterEvent e = new ChildDataAlterEvent(Hook.CHILD_DATA_ALTER, hubId, node, spec);
        for (HookRegistration r : list)
            invoke(r, e);
        return e.spec();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void invoke(HookRegistration r, HubEvent e) {
        try {
            ((HookHandler)r.getHandler()).handle(e);
        }
        catch (Throwable t) {
            LOG.error("Hook handler '{}' of {} in hub {} failed", r.getId(), r.getHook(), hubId, t);
        }
    }

    /** Lets queued events run for a moment, then stops the hook thread. */
    public void shutdown() {
        executor.shutdown();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executor.shutdownNow();
    }
}
