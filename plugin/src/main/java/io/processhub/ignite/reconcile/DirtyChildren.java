package io.processhub.ignite.reconcile;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The children to reconcile because something about them changed: each at most once, taken oldest first. Any
 * thread adds; the hub loop takes them in chunks. (Taking from a set's iterator instead walked the emptied part
 * of its table again for every chunk: a fifth of the dirty passes while 100,000 children started.)
 */
final class DirtyChildren {
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedQueue<String> order = new ConcurrentLinkedQueue<>();

    void addAll(Collection<String> childIds) {
        for (String id : childIds)
            if (queued.add(id))
                order.add(id);
    }

    /** The oldest child, or null if none; one that changes again from now on is queued again. */
    String poll() {
        String id = order.poll();
        if (id != null)
            queued.remove(id);
        return id;
    }

    boolean isEmpty() {
        return order.isEmpty();
    }
}
