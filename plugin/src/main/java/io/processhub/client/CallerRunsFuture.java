package io.processhub.client;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The future of a blocking thin-client request handed to the client's request pool: a caller that waits for it
 * without a bound ({@link #get()}, {@link #join()}) before a pool thread has taken the request runs the request
 * itself, on its own thread, as {@code RemoteHub.callAndWait} does. A caller that calls {@code call(...).get()}
 * then saves the hop to a pool thread and back, two thread wake-ups on a request of a few hundred microseconds.
 * Whoever claims the request first runs it, exactly once; the other finds it claimed.
 *
 * <p>{@link #get(long, java.util.concurrent.TimeUnit)} never runs the request: a request may last longer than the
 * caller's bound (a start waits up to its own timeout), and a timed wait must return when its time is up. Stages
 * chained on this future are plain {@link CompletableFuture}s: waiting for one of them does not run the request.
 */
final class CallerRunsFuture<T> extends CompletableFuture<T> {
    private final Supplier<T> request;
    private final AtomicBoolean claimed = new AtomicBoolean();

    private CallerRunsFuture(Supplier<T> request) {
        this.request = request;
    }

    /** The request's future, the request handed to the pool for a caller that does not wait for it at once. */
    static <T> CallerRunsFuture<T> submit(Supplier<T> request, Executor pool) {
        CallerRunsFuture<T> future = new CallerRunsFuture<>(request);
        pool.execute(future::runIfUnclaimed);
        return future;
    }

    /** Runs the request unless a pool thread or a waiting caller already did. */
    private void runIfUnclaimed() {
        if (!claimed.compareAndSet(false, true))
            return;
        try {
            complete(request.get());
        }
        catch (Throwable e) {
            // As CompletableFuture.supplyAsync does: dependent stages see a CompletionException, get() the cause.
            completeExceptionally(e instanceof CompletionException ? e : new CompletionException(e));
        }
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        runIfUnclaimed();
        return super.get();
    }

    @Override
    public T join() {
        runIfUnclaimed();
        return super.join();
    }
}
