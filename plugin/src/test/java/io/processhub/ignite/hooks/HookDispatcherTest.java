package io.processhub.ignite.hooks;

import io.processhub.hook.Hook;
import io.processhub.hook.HubEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hook queue is bounded: a handler that blocks makes later events drop (counted), never the firing thread wait. No Ignite. */
class HookDispatcherTest {
    private static final int CAPACITY = 3;

    private final ExecutorService workers = Executors.newCachedThreadPool();
    private final HookDispatcher hooks = new HookDispatcher("h", "n", List.of(), workers, CAPACITY);

    @AfterEach
    void stop() {
        hooks.shutdown();
        workers.shutdownNow();
    }

    private void fire() {
        hooks.fire(Hook.HUB_SHUTDOWN, () -> new HubEvent(Hook.HUB_SHUTDOWN, "h", "n"));
    }

    @Test
    @Timeout(30) // fire() blocking on the full queue would hang here: the hub loop would stall the same way
    void aBlockedHandlerMakesEventsBeyondTheBoundDropAndFiringNeverWaits() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger handled = new AtomicInteger();
        hooks.register(Hook.HUB_SHUTDOWN, "blocks", 0, e -> {
            entered.countDown();
            release.await();
            handled.incrementAndGet();
        });

        fire();
        assertTrue(entered.await(10, TimeUnit.SECONDS), "the first event is being handled");
        for (int i = 0; i < CAPACITY + 2; i++)
            fire();

        assertEquals(CAPACITY, hooks.backlog(), "the queue holds its bound");
        assertEquals(2, hooks.dropped(), "the events beyond it were dropped and counted");

        release.countDown();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> handled.get() == 1 + CAPACITY);
        fire();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> handled.get() == 2 + CAPACITY);
        assertEquals(2, hooks.dropped(), "once the handler caught up, events are taken again");
    }
}
