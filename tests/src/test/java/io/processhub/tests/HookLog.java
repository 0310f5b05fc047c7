package io.processhub.tests;

import io.processhub.hook.Hook;
import io.processhub.hook.HookHandler;
import io.processhub.hook.HookRegistration;
import io.processhub.hook.HubEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A hook handler that records every event it gets, for tests. Each node delivers its events on one hook
 * thread, so the events of one node appear here in the order that node fired them; the nodes of a test
 * cluster share one log (they live in the same JVM).
 */
final class HookLog implements HookHandler<HubEvent> {
    private final List<HubEvent> events = new ArrayList<>();

    @Override
    public synchronized void handle(HubEvent event) {
        events.add(event);
    }

    /** One registration of this log per hook (except the alter hook, which is not an event), for a HubConfiguration. */
    List<HookRegistration> registrations() {
        List<HookRegistration> res = new ArrayList<>();
        for (Hook h : Hook.values())
            if (h != Hook.CHILD_DATA_ALTER)
                res.add(new HookRegistration(h, "test-log", 0, this));
        return res;
    }

    /** Position of the next event: pass it to {@link #since} to see only what happens from now on. */
    synchronized int mark() {
        return events.size();
    }

    /** Events recorded from {@code mark} on, on node {@code node} (null: any), of the given hooks, in order. */
    synchronized List<HubEvent> since(int mark, String node, Set<Hook> hooks) {
        List<HubEvent> res = new ArrayList<>();
        for (HubEvent e : events.subList(mark, events.size()))
            if ((node == null || node.equals(e.node())) && hooks.contains(e.hook()))
                res.add(e);
        return res;
    }

    /** Events of one hook from {@code mark} on, on node {@code node} (null: any), that match {@code filter}. */
    <E extends HubEvent> List<E> since(int mark, String node, Hook hook, Class<E> type, Predicate<? super E> filter) {
        List<E> res = new ArrayList<>();
        for (HubEvent e : since(mark, node, Set.of(hook))) {
            E typed = type.cast(e);
            if (filter.test(typed))
                res.add(typed);
        }
        return res;
    }
}
