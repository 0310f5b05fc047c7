package io.processhub.tests.chaos;

import io.processhub.ChildContext;
import java.util.function.LongConsumer;

/**
 * Crash-safe state in the chaos run (issue 12, point 1): the hubs of {@link ChaosHubs#CHECKPOINTED} keep checkpoints, a chaos child there checkpoints its
 * count after every {@code "inc"}, and {@link CheckpointNeverGoesBack} checks every run. {@link #ENABLED} switches it
 * all off (hubs without checkpoints, children that never checkpoint, no check).
 */
final class ChaosCheckpoints {
    /** Whether children checkpoint and the run checks that checkpointed state never goes backwards. */
    static final boolean ENABLED = true;

    private ChaosCheckpoints() {
    }

    /**
     * Checkpoints the child's state, which holds {@code value} now (the plugin takes it after the current message, so
     * what it stores is {@code value} or, if the checkpoint waited for an earlier one, more); {@code acked} gets
     * {@code value} once the checkpoint is acknowledged, on a plugin thread. A refused or failed one is not.
     */
    static void checkpoint(ChildContext ctx, long value, LongConsumer acked) {
        if (ENABLED && ChaosHubs.CHECKPOINTED.contains(ctx.hubId()))
            ctx.checkpoint().thenRun(() -> acked.accept(value));
    }
}
