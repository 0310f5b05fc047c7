package io.processhub.strategy;

/** Decides how a child moves when its owner changes. */
public interface MigrationStrategy extends Strategy {
    /**
     * Whether the new owner may start the child while the old owner still runs it. {@code false} means
     * stop first, then start: the new owner waits until the old replica is gone from the registry.
     */
    boolean startBeforeStop();
}
