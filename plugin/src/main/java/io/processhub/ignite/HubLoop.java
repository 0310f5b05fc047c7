package io.processhub.ignite;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.ignite.cluster.ClusterTopologyException;
import org.apache.ignite.internal.cluster.ClusterTopologyCheckedException;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The serial executor of one hub on one node. Everything that changes the hub's local state (membership,
 * supervisor cells, reconciliation) runs here, in submission order, so none of it needs locks. Ignite's
 * threads only ever {@link #execute} work onto it. It runs on the node's shared workers ({@link SerialExecutor}), so
 * an idle hub holds no thread.
 *
 * <p>Its queue is unbounded on purpose: it must take every discovery event, registry event and request, and a
 * bound would have to drop one (a lost membership change or registry event is a wrong view of the cluster) or
 * block Ignite's discovery and event threads, which must never block. Its backlog and the backlog's high-water
 * mark are metrics instead ({@code loopBacklog}, {@code loopBacklogMax}).
 */
public final class HubLoop {
    private static final Logger LOG = LogManager.getLogger(HubLoop.class);

    private final SerialExecutor executor;
    /** The longest the queue has been. */
    private final AtomicInteger backlogMax = new AtomicInteger();
    /** Tasks that go ahead of the queue: each task run first runs these (see {@link #executeFirst}). */
    private final ConcurrentLinkedQueue<Runnable> first = new ConcurrentLinkedQueue<>();

    public HubLoop(String hubId, String nodeName, Executor workers) {
        executor = new SerialExecutor("processhub-loop-" + hubId + "-" + nodeName, workers);
    }

    /**
     * Queues a task; exceptions are logged, never lost, and never stop the loop.
     *
     * @return false if the loop is shut down and the task will never run
     */
    public boolean execute(Runnable task) {
        if (executor.isShutdown())
            return false;
        try {
            executor.execute(() -> {
                for (Runnable r = first.poll(); r != null; r = first.poll())
                    run(r);
                run(task);
            });
        }
        catch (RejectedExecutionException ignored) {
            return false; // shutting down: the task belongs to a hub that is going away
        }
        backlogMax.accumulateAndGet(executor.backlog(), Math::max);
        return true;
    }

    /**
     * Queues a task ahead of every task not started yet (after the one running, in order with other such tasks).
     * Only for work whose outcome does not depend on what it overtakes, such as a pass over a few children that the
     * level-triggered reconciler would make anyway, only later.
     */
    public boolean executeFirst(Runnable task) {
        if (executor.isShutdown())
            return false;
        first.add(task);
        return execute(() -> { }); // runs it even if nothing else is queued
    }

    /**
     * Whether a task queued by {@link #executeFirst} waits for the one running: a long task that can stop early and
     * queue its rest (a pass over many children) does so, and the urgent one runs before that rest.
     */
    public boolean urgentWaiting() {
        return !first.isEmpty();
    }

    private static void run(Runnable task) {
        try {
            task.run();
        }
        catch (Throwable e) {
            if (causedByNodeLeaving(e))
                LOG.debug("Hub loop task failed: a node left while it ran; the next pass repairs what it missed", e);
            else
                LOG.error("Hub loop task failed", e);
        }
    }

    /** A node left the topology under the task: an expected condition, not an error. */
    private static boolean causedByNodeLeaving(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause())
            if (c instanceof ClusterTopologyException || c instanceof ClusterTopologyCheckedException)
                return true;
        return false;
    }

    /** Tasks queued and not started yet. */
    public int backlog() {
        return executor.backlog();
    }

    /** The most tasks ever queued at once: the high-water mark of {@link #backlog()}. */
    public int backlogMax() {
        return backlogMax.get();
    }

    public boolean inLoop() {
        return executor.inExecutor();
    }

    public void shutdown(long waitMillis) {
        executor.shutdown();
        try {
            executor.awaitTermination(waitMillis, TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executor.shutdownNow();
    }
}
