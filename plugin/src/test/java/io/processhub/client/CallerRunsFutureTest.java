package io.processhub.client;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pure logic: who runs a request handed to a pool, the pool or the caller waiting for it, and exactly once. */
class CallerRunsFutureTest {
    /** A pool whose threads have not taken the task yet: it runs only when the test says so. */
    private final Queue<Runnable> pool = new ArrayDeque<>();
    private final AtomicInteger runs = new AtomicInteger();
    private final AtomicReference<Thread> ranOn = new AtomicReference<>();

    private String request() {
        runs.incrementAndGet();
        ranOn.set(Thread.currentThread());
        return "reply";
    }

    @Test
    void getRunsTheRequestOnTheWaitingThreadBeforeThePoolTakesIt() throws Exception {
        CompletableFuture<String> f = CallerRunsFuture.submit(this::request, pool::add);
        assertEquals("reply", f.get());
        assertSame(Thread.currentThread(), ranOn.get());
        pool.remove().run(); // the pool thread comes later and finds it claimed
        assertEquals(1, runs.get());
    }

    @Test
    void joinRunsItToo() {
        CompletableFuture<String> f = CallerRunsFuture.submit(this::request, pool::add);
        assertEquals("reply", f.join());
        assertSame(Thread.currentThread(), ranOn.get());
        pool.remove().run();
        assertEquals(1, runs.get());
    }

    @Test
    void thePoolRunsItWhenNobodyWaits() throws Exception {
        CompletableFuture<String> f = CallerRunsFuture.submit(this::request, pool::add);
        pool.remove().run();
        assertTrue(f.isDone());
        assertEquals("reply", f.get());
        assertEquals(1, runs.get());
    }

    @Test
    void aTimedGetOnlyWaits() {
        CompletableFuture<String> f = CallerRunsFuture.submit(this::request, pool::add);
        assertThrows(TimeoutException.class, () -> f.get(1, TimeUnit.MILLISECONDS));
        assertEquals(0, runs.get());
    }

    @Test
    void aStageChainedOnItDoesNotRunIt() {
        CompletableFuture<String> f = CallerRunsFuture.submit(this::request, pool::add);
        CompletableFuture<String> chained = f.thenApply(r -> r + "!");
        assertThrows(TimeoutException.class, () -> chained.get(1, TimeUnit.MILLISECONDS));
        assertEquals(0, runs.get());
        pool.remove().run();
        assertEquals("reply!", chained.join());
    }

    @Test
    void failuresLookAsFromSupplyAsync() {
        IllegalStateException boom = new IllegalStateException("boom");
        CompletableFuture<String> viaCaller = CallerRunsFuture.submit(() -> { throw boom; }, pool::add);
        ExecutionException got = assertThrows(ExecutionException.class, viaCaller::get);
        assertSame(boom, got.getCause());
        CompletionException joined = assertThrows(CompletionException.class, viaCaller::join);
        assertSame(boom, joined.getCause());

        pool.remove().run(); // the first request's, claimed already

        CompletableFuture<String> viaPool = CallerRunsFuture.submit(() -> { throw boom; }, pool::add);
        CompletableFuture<Throwable> seen = viaPool.handle((v, e) -> e);
        pool.remove().run();
        assertInstanceOf(CompletionException.class, seen.join());
        assertSame(boom, seen.join().getCause());
    }

    @Test
    void raceOfPoolAndCallerRunsEachRequestOnce() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            int requests = 2_000;
            for (int i = 0; i < requests; i++)
                assertEquals("reply", CallerRunsFuture.submit(this::request, threads).get());
            threads.shutdown();
            assertTrue(threads.awaitTermination(30, TimeUnit.SECONDS));
            assertEquals(requests, runs.get());
        }
        finally {
            threads.shutdownNow();
        }
    }
}
