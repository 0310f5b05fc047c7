package io.processhub.tests.chaos;

import io.processhub.ChildContext;

/**
 * The seam for crash-safe state (issue 12, point 1), not on this branch yet. Once {@code ctx.checkpoint()} exists,
 * {@link #ENABLED} becomes true, {@link #checkpoint} calls it and {@link #restored} returns the state the instance was
 * started with; {@link CheckpointNeverGoesBack} then checks every run. Until then a chaos child never checkpoints and
 * always starts from 0.
 */
final class ChaosCheckpoints {
    /** Whether children checkpoint and the run checks that checkpointed state never goes backwards. */
    static final boolean ENABLED = false;

    private ChaosCheckpoints() {
    }

    /** Checkpoints {@code value}; true once the checkpoint is acknowledged (then the child logs it). */
    static boolean checkpoint(ChildContext ctx, long value) {
        return false;
    }

    /** The state a new instance starts from: its last checkpoint after a failover, 0 otherwise. */
    static long restored(ChildContext ctx) {
        return 0;
    }
}
