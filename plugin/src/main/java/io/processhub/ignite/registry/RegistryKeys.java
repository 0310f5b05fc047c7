package io.processhub.ignite.registry;

import java.util.UUID;

/**
 * Keys of the registry cache. A child has one spec entry (key = child id, value = its {@code ChildSpec}:
 * the desired state) and one replica entry per running replica (key = child id + NUL + node id, value = its
 * {@code ChildRef}), written only by the node that runs it, so replicas never contend for a key.
 */
public final class RegistryKeys {
    public static final char SEPARATOR = '\u0000';

    private RegistryKeys() {
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
