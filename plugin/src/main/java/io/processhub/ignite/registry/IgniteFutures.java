package io.processhub.ignite.registry;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.ignite.lang.IgniteFuture;

/** Ignite's futures as {@link CompletableFuture}s, for the registry's asynchronous cache calls. */
final class IgniteFutures {
    private IgniteFutures() {
    }

    /**
     * Runs an asynchronous cache call; its outcome, or its failure at once (the node is stopping), completes the
     * result, on the thread that completes Ignite's future.
     */
    static <T> CompletableFuture<T> of(Supplier<IgniteFuture<T>> call) {
        CompletableFuture<T> res = new CompletableFuture<>();
        try {
            call.get().listen(f -> {
                try {
                    res.complete(f.get());
                }
                catch (RuntimeException e) {
                    res.completeExceptionally(e);
                }
            });
        }
        catch (RuntimeException e) {
            res.completeExceptionally(e);
        }
        return res;
    }
}
