package io.processhub.ignite;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The serial executor of one hub on one node. Everything that changes the hub's local state (membership,
 * supervisor cells, reconciliation) runs here, in submission order, so none of it needs locks. Ignite's
 * threads only ever {@link #execute} work onto it.
 */
public final class HubLoop {
    private static final Logger LOG = LogManager.getLogger(HubLoop.class);

    private final ThreadPoolExecutor executor;
    private volatile Thread thread;

    public HubLoop(String hubId, String nodeName) {
        executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "processhub-loop-" + hubId + "-" + nodeName);
            t.setDaemon(true);
            thread = t;
            return t;
        });
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
                try {
                    task.run();
                }
                catch (Throwable e) {
                    LOG.error("Hub loop task failed", e);
                }
            });
        }
        catch (java.util.concurrent.RejectedExecutionException ignored) {
            return false; // shutting down: the task belongs to a hub that is going away
        }
        return true;
    }

    /** Tasks queued and not started yet. */
    public int backlog() {
        return executor.getQueue().size();
    }

    public boolean inLoop() {
        return Thread.currentThread() == thread;
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
