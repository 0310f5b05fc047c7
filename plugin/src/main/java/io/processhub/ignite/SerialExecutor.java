package io.processhub.ignite;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Runs tasks one at a time, in submission order, on a thread borrowed from the node's shared worker pool: the hub
 * loop, the registry's writer and applier and the hook dispatcher of every hub. A hub holds no thread of its own,
 * so an idle hub holds none at all and the node's plugin threads are bounded by what runs at once, not by the
 * number of hubs. While it runs tasks the borrowed thread carries this executor's name (thread dumps, logs).
 *
 * <p>A task that throws is logged and does not stop the executor.
 */
public final class SerialExecutor implements Executor {
    private static final Logger LOG = LogManager.getLogger(SerialExecutor.class);

    private final String name;
    private final Executor workers;
    private final int capacity;
    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    /** Tasks queued and not started: counted apart, since the queue's size() walks it. */
    private final AtomicInteger queued = new AtomicInteger();
    /** Whether a worker runs (or is about to run) this executor's tasks: at most one does. */
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile boolean shutdown;
    /** The worker running the tasks now, null between runs. */
    private volatile Thread runner;

    /** At most {@code capacity} tasks queued; more are rejected. */
    public SerialExecutor(String name, Executor workers, int capacity) {
        this.name = name;
        this.workers = workers;
        this.capacity = capacity;
    }

    /** With an unbounded queue. */
    public SerialExecutor(String name, Executor workers) {
        this(name, workers, Integer.MAX_VALUE);
    }

    /** @throws RejectedExecutionException if shut down or {@code capacity} tasks wait already */
    @Override
    public void execute(Runnable task) {
        if (shutdown)
            throw new RejectedExecutionException(name + " is shut down");
        if (queued.incrementAndGet() > capacity) {
            queued.decrementAndGet();
            throw new RejectedExecutionException(name + " has " + capacity + " tasks waiting");
        }
        queue.add(task);
        schedule();
    }

    private void schedule() {
        if (!scheduled.compareAndSet(false, true))
            return;
        try {
            workers.execute(this::runQueued);
        }
        catch (RejectedExecutionException poolStopped) {
            scheduled.set(false); // the node is stopping: what is queued will not run
        }
    }

    private void runQueued() {
        Thread t = Thread.currentThread();
        String poolName = t.getName();
        t.setName(name);
        runner = t;
        try {
            for (Runnable task = queue.poll(); task != null; task = queue.poll()) {
                queued.decrementAndGet();
                try {
                    task.run();
                }
                catch (Throwable e) {
                    LOG.error("A task of {} failed", name, e);
                }
            }
        }
        finally {
            runner = null;
            t.setName(poolName);
            scheduled.set(false);
            synchronized (this) {
                notifyAll(); // awaitTermination
            }
        }
        if (!queue.isEmpty()) // queued after the last poll, while scheduled was still set
            schedule();
    }

    /** Whether the calling thread is running this executor's task now. */
    public boolean inExecutor() {
        return runner == Thread.currentThread();
    }

    /** Tasks queued and not started yet. */
    public int backlog() {
        return queued.get();
    }

    public boolean isShutdown() {
        return shutdown;
    }

    /** Takes no new task; the queued ones still run. */
    public void shutdown() {
        shutdown = true;
    }

    /** Shuts down and drops the tasks not started. */
    public void shutdownNow() {
        shutdown = true;
        for (Runnable task = queue.poll(); task != null; task = queue.poll())
            queued.decrementAndGet();
    }

    /** Waits up to {@code timeout} for the queued tasks to run; true if none is left. */
    public synchronized boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (!queue.isEmpty() || scheduled.get()) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0)
                return false;
            wait(left);
        }
        return true;
    }

    @Override
    public String toString() {
        return name;
    }
}
