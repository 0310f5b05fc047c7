package io.processhub.ignite.registry;

import io.processhub.ChildRef;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Read-your-writes for the caller: a start (or stop) future completes only once this node's registry copy
 * shows the started replicas (or no longer shows the stopped children), so a lookup, call or stop right
 * after it sees the change. The wait is bounded: past it the future completes anyway.
 */
public final class Visibility {
    /** How long a caller waits for its registry copy to catch up before completing anyway. */
    private static final long MAX_WAIT_MILLIS = 5_000;

    private final RegistryIndex index;
    private final ScheduledExecutorService timer;
    /** Replica key → waiter for its entry to appear. */
    private final ConcurrentHashMap<String, Waiter> awaitingRefs = new ConcurrentHashMap<>();
    /** Child id → waiter for its spec entry to disappear. */
    private final ConcurrentHashMap<String, Waiter> awaitingRemoval = new ConcurrentHashMap<>();

    private static final class Waiter {
        public final AtomicInteger remaining;
        public final CompletableFuture<Void> done = new CompletableFuture<>();

        public Waiter(int count) {
            remaining = new AtomicInteger(count);
        }

        public void countDown() {
            if (remaining.decrementAndGet() == 0)
                done.complete(null);
        }
    }

    public Visibility(RegistryIndex index, ScheduledExecutorService timer) {
        this.index = index;
        this.timer = timer;
    }

    /** Completes when every ref (or a newer incarnation on its node) is in the local registry copy. */
    public CompletableFuture<Void> refsVisible(Collection<ChildRef> refs) {
        if (refs.isEmpty())
            return CompletableFuture.completedFuture(null);
        Waiter w = new Waiter(refs.size() + 1);
        for (ChildRef ref : refs) {
            String key = RegistryKeys.replicaKey(ref.childId(), ref.nodeId());
            awaitingRefs.put(key, w);
            RegistryIndex.Entry e = index.get(ref.childId());
            // Registered before the check, removed by whoever sees the entry first: counted exactly once.
            if (e != null && e.hasRefOn(ref.nodeId()) && awaitingRefs.remove(key, w))
                w.countDown();
        }
        w.countDown();
        return bounded(w, () -> refs.forEach(r -> awaitingRefs.remove(RegistryKeys.replicaKey(r.childId(), r.nodeId()), w)));
    }

    /** Completes when none of the children has a spec in the local registry copy. */
    public CompletableFuture<Void> specsGone(Collection<String> childIds) {
        if (childIds.isEmpty())
            return CompletableFuture.completedFuture(null);
        Waiter w = new Waiter(childIds.size() + 1);
        for (String id : childIds) {
            awaitingRemoval.put(id, w);
            RegistryIndex.Entry e = index.get(id);
            if ((e == null || !e.hasSpec()) && awaitingRemoval.remove(id, w))
                w.countDown();
        }
        w.countDown();
        return bounded(w, () -> childIds.forEach(id -> awaitingRemoval.remove(id, w)));
    }

    private CompletableFuture<Void> bounded(Waiter w, Runnable cleanUp) {
        if (!w.done.isDone()) {
            ScheduledFuture<?> giveUp = timer.schedule(() -> {
                cleanUp.run();
                w.done.complete(null);
            }, MAX_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            w.done.whenComplete((v, e) -> giveUp.cancel(false));
        }
        return w.done;
    }

    /** A replica entry arrived in the registry copy. Continuous-query thread. */
    public void inserted(ChildRef ref) {
        if (awaitingRefs.isEmpty())
            return; // most nodes wait for nothing: no key to build
        Waiter w = awaitingRefs.remove(RegistryKeys.replicaKey(ref.childId(), ref.nodeId()));
        if (w != null)
            w.countDown();
    }

    /** A spec entry left the registry copy. Continuous-query thread. */
    public void specRemoved(String childId) {
        if (awaitingRemoval.isEmpty())
            return;
        Waiter w = awaitingRemoval.remove(childId);
        if (w != null)
            w.countDown();
    }
}
