package io.processhub.bench;

import java.lang.management.ManagementFactory;

/**
 * The heap a JVM keeps for good: the least used heap after a full collection, over readings spread across more than
 * 5 s. A single reading also counts whatever transient work of the cluster is under way at that moment (a registry
 * audit's scan pages and get responses, continuous-query events that Ignite keeps on the backups until it
 * acknowledges them, every 5 s or 100 events): several MB, hundreds of bytes per child at 20,000 children, in either
 * direction of a difference of two readings. Transient work only adds, so the least reading of a window is the floor.
 */
final class SteadyHeap {
    private static final int READINGS = 12;
    private static final long PAUSE_MILLIS = 600;

    private SteadyHeap() {
    }

    static long read() throws InterruptedException {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < READINGS; i++) {
            System.gc();
            least = Math.min(least, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
            Thread.sleep(PAUSE_MILLIS);
        }
        return least;
    }
}
