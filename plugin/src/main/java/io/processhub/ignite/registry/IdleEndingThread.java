package io.processhub.ignite.registry;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** A one-thread executor whose thread ends after a moment without tasks: an idle hub keeps no thread. */
final class IdleEndingThread {
    /** How long the thread outlives its last task. */
    private static final long IDLE_MILLIS = 2_000;

    private IdleEndingThread() {
    }

    /** Runs tasks one at a time, in submission order, on a daemon thread of this name. */
    static ThreadPoolExecutor named(String name) {
        ThreadPoolExecutor ex = new ThreadPoolExecutor(1, 1, IDLE_MILLIS, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        ex.allowCoreThreadTimeOut(true);
        return ex;
    }
}
