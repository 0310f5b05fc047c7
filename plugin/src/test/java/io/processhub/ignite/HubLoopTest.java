package io.processhub.ignite;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hub loop's urgent lane, no Ignite: a running task sees an urgent one waiting, which runs before the queue. */
class HubLoopTest {
    private final ExecutorService workers = Executors.newCachedThreadPool();
    private final HubLoop loop = new HubLoop("hub", "node", workers);

    @AfterEach
    void shutdown() {
        loop.shutdown(1_000);
        workers.shutdownNow();
    }

    @Test
    void aRunningTaskSeesAnUrgentTaskWaitingAndTheUrgentOneRunsBeforeTheQueue() throws Exception {
        List<String> ran = new CopyOnWriteArrayList<>();
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch urgentQueued = new CountDownLatch(1);
        boolean[] seen = new boolean[2];
        CountDownLatch done = new CountDownLatch(1);
        loop.execute(() -> {
            seen[0] = loop.urgentWaiting();
            running.countDown();
            await(urgentQueued);
            seen[1] = loop.urgentWaiting();
            ran.add("long");
        });
        loop.execute(() -> ran.add("queued"));
        assertTrue(running.await(5, TimeUnit.SECONDS));
        loop.executeFirst(() -> ran.add("urgent"));
        urgentQueued.countDown();
        loop.execute(done::countDown);
        assertTrue(done.await(5, TimeUnit.SECONDS));

        assertFalse(seen[0], "nothing urgent before it was queued");
        assertTrue(seen[1], "the running task sees the urgent one waiting");
        assertEquals(List.of("long", "urgent", "queued"), ran);
        assertFalse(loop.urgentWaiting());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
