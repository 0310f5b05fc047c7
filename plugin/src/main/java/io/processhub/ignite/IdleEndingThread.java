package io.processhub.ignite;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A one-thread executor whose thread ends after a moment without tasks, so an idle hub keeps no thread: the hook
 * dispatcher's, and the registry's writer and applier. (The hub loop builds its own: it must know its thread.)
 */
public final class IdleEndingThread {
    /** How long the thread outlives its last task. */
    private static final long IDLE_MILLIS = 2_000;

    private IdleEndingThread() {
    }

    /** Runs tasks one at a time, in submission order, on a daemon thread of this name; the queue is unbounded. */
    public static ThreadPoolExecutor named(String name) {
        return named(name, Integer.MAX_VALUE);
    }

    /** The same with at most {@code capacity} tasks queued (more are rejected). */
    public static ThreadPoolExecutor named(String name, int capacity) {
        ThreadPoolExecutor ex = new ThreadPoolExecutor(1, 1, IDLE_MILLIS, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(capacity), r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        ex.allowCoreThreadTimeOut(true);
        return ex;
    }
}
