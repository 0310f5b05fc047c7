package io.processhub.ignite;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Serial executors sharing one worker pool: order, one task at a time, bounds, shutdown. No Ignite. */
class SerialExecutorTest {
    private final ExecutorService workers = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        workers.shutdownNow();
    }

    @Test
    void tasksFromManyThreadsRunOneAtATimeInSubmissionOrderPerSubmitter() throws Exception {
        SerialExecutor serial = new SerialExecutor("serial-test", workers);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        List<int[]> seen = new CopyOnWriteArrayList<>();
        int submitters = 4, each = 5_000;
        Thread[] threads = new Thread[submitters];
        for (int s = 0; s < submitters; s++) {
            int submitter = s;
            threads[s] = new Thread(() -> {
                for (int i = 0; i < each; i++) {
                    int n = i;
                    serial.execute(() -> {
                        if (running.incrementAndGet() > 1)
                            overlaps.incrementAndGet();
                        seen.add(new int[] {submitter, n});
                        running.decrementAndGet();
                    });
                }
            });
            threads[s].start();
        }
        for (Thread t : threads)
            t.join();
        assertTrue(serial.awaitTermination(10, TimeUnit.SECONDS));
        assertEquals(0, overlaps.get(), "two tasks ran at once");
        assertEquals(submitters * each, seen.size());
        int[] next = new int[submitters];
        for (int[] e : seen)
            assertEquals(next[e[0]]++, e[1], "submitter " + e[0] + "'s tasks ran out of order");
    }

    @Test
    void aTaskThatThrowsDoesNotStopTheTasksAfterIt() throws Exception {
        SerialExecutor serial = new SerialExecutor("serial-test", workers);
        AtomicInteger ran = new AtomicInteger();
        serial.execute(() -> {
            throw new IllegalStateException("thrown on purpose by the test");
        });
        serial.execute(ran::incrementAndGet);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> ran.get() == 1);
    }

    @Test
    void beyondItsCapacityATaskIsRejectedAndTheCallerNeverWaits() throws Exception {
        SerialExecutor serial = new SerialExecutor("serial-test", workers, 2);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(1);
        serial.execute(() -> {
            entered.countDown();
            await(release);
        });
        assertTrue(entered.await(10, TimeUnit.SECONDS));
        serial.execute(() -> { });
        serial.execute(() -> { });
        assertEquals(2, serial.backlog());
        RejectedExecutionException e = assertThrows(RejectedExecutionException.class, () -> serial.execute(() -> { }),
            "a third task queued behind a blocked one, with room for two");
        assertTrue(e.getMessage().contains("2 tasks waiting"), e.getMessage());
        release.countDown();
        assertTrue(serial.awaitTermination(10, TimeUnit.SECONDS));
        assertEquals(0, serial.backlog());
    }

    @Test
    void theRunningTaskKnowsItRunsThereAndCarriesTheExecutorsName() throws Exception {
        SerialExecutor serial = new SerialExecutor("processhub-loop-h-n", workers);
        CopyOnWriteArrayList<Object> seen = new CopyOnWriteArrayList<>();
        serial.execute(() -> {
            seen.add(serial.inExecutor());
            seen.add(Thread.currentThread().getName());
        });
        assertTrue(serial.awaitTermination(10, TimeUnit.SECONDS));
        assertEquals(List.of(true, "processhub-loop-h-n"), seen);
        assertFalse(serial.inExecutor());
    }

    @Test
    void afterShutdownQueuedTasksStillRunAndNewOnesAreRejected() throws Exception {
        SerialExecutor serial = new SerialExecutor("serial-test", workers);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger ran = new AtomicInteger();
        serial.execute(() -> await(release));
        serial.execute(ran::incrementAndGet);
        serial.shutdown();
        assertThrows(RejectedExecutionException.class, () -> serial.execute(ran::incrementAndGet));
        release.countDown();
        assertTrue(serial.awaitTermination(10, TimeUnit.SECONDS));
        assertEquals(1, ran.get());
    }

    @Test
    void shutdownNowDropsTheTasksNotStarted() throws Exception {
        SerialExecutor serial = new SerialExecutor("serial-test", workers);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(1);
        AtomicInteger ran = new AtomicInteger();
        serial.execute(() -> {
            entered.countDown();
            await(release);
        });
        assertTrue(entered.await(10, TimeUnit.SECONDS));
        serial.execute(ran::incrementAndGet);
        serial.shutdownNow();
        release.countDown();
        assertTrue(serial.awaitTermination(10, TimeUnit.SECONDS));
        assertEquals(0, ran.get());
        assertEquals(0, serial.backlog());
    }

    @Test
    void manyIdleExecutorsHoldNoThreadAndBusyOnesShareThePool() throws Exception {
        List<SerialExecutor> serials = IntStream.range(0, 100)
            .mapToObj(i -> new SerialExecutor("serial-" + i, workers)).toList();
        AtomicInteger ran = new AtomicInteger();
        for (int round = 0; round < 3; round++)
            for (SerialExecutor s : serials)
                s.execute(ran::incrementAndGet);
        for (SerialExecutor s : serials)
            assertTrue(s.awaitTermination(10, TimeUnit.SECONDS));
        assertEquals(300, ran.get());
        int largest = ((java.util.concurrent.ThreadPoolExecutor)workers).getLargestPoolSize();
        assertTrue(largest < 100, "100 executors with short tasks used " + largest + " threads of the shared pool");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
