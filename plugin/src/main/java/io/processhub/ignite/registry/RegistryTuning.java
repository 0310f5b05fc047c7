package io.processhub.ignite.registry;

/**
 * Registry settings an operator rarely changes, read once per hub from JVM system properties:
 * <ul>
 * <li>{@code processhub.registry.snapshotAfterChanges} (default 10,000): a writer snapshots its log once it has
 * published this many changes since its last snapshot (or as many as it has live records, if more);</li>
 * <li>{@code processhub.registry.removalsKeptMillis} (default 60,000): how long a removal is remembered against
 * older puts still on their way; a writer snapshots at the latest half of this after a change, and a departed
 * node's log is removed this long after its last batch.</li>
 * </ul>
 */
final class RegistryTuning {
    final long snapshotAfterChanges;
    final long removalsKeptMillis;

    private RegistryTuning(long snapshotAfterChanges, long removalsKeptMillis) {
        this.snapshotAfterChanges = snapshotAfterChanges;
        this.removalsKeptMillis = removalsKeptMillis;
    }

    static RegistryTuning fromSystemProperties() {
        return new RegistryTuning(Long.getLong("processhub.registry.snapshotAfterChanges", 10_000),
            Long.getLong("processhub.registry.removalsKeptMillis", 60_000));
    }
}
