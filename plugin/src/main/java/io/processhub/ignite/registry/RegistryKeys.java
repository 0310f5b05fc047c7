package io.processhub.ignite.registry;

import java.util.UUID;

/**
 * Keys of the registry. The cache holds one entry per batch a writer published: key {@code delta:<writer>:<seq>}
 * (seq zero-padded, so keys sort in order), value a {@link RegistryDelta}. Inside the batches, changes name
 * <i>logical</i> keys: a child's spec under its id, a replica's ref under child id + NUL + node id.
 */
public final class RegistryKeys {
    public static final char SEPARATOR = '\u0000';
    private static final String DELTA = "delta:";

    private RegistryKeys() {
    }

    public static String delta(UUID writer, long seq) {
        return DELTA + writer + ':' + String.format("%019d", seq);
    }

    public static boolean isDelta(String key) {
        return key.startsWith(DELTA);
    }

    /** The writer a cache key belongs to (its affinity key), or null for a key of no writer. */
    public static String writerOf(String key) {
        if (!isDelta(key))
            return null;
        int end = key.indexOf(':', DELTA.length());
        return end < 0 ? null : key.substring(DELTA.length(), end);
    }

    public static String replicaKey(String childId, UUID nodeId) {
        return childId + SEPARATOR + nodeId;
    }

    public static boolean isReplicaKey(String key) {
        return key.indexOf(SEPARATOR) >= 0;
    }

    public static String childIdOf(String key) {
        int sep = key.indexOf(SEPARATOR);
        return sep < 0 ? key : key.substring(0, sep);
    }

    public static UUID nodeIdOf(String replicaKey) {
        return UUID.fromString(replicaKey.substring(replicaKey.indexOf(SEPARATOR) + 1));
    }
}
