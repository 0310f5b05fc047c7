package io.processhub.ignite.registry;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * For tests only: makes every node of this JVM drop a share of a hub's registry events on arrival, as if the
 * continuous query had lost them, to prove that gaps are found and filled. Off (0) unless a test sets it.
 */
public final class RegistryEventLoss {
    private static final ConcurrentHashMap<String, Double> DROPPED_SHARE = new ConcurrentHashMap<>();

    private RegistryEventLoss() {
    }

    /** From now on, drop this share (0 to 1) of hub {@code hubId}'s registry events on every node of this JVM. */
    public static void drop(String hubId, double share) {
        if (share <= 0)
            DROPPED_SHARE.remove(hubId);
        else
            DROPPED_SHARE.put(hubId, share);
    }

    static boolean dropNow(String hubId) {
        Double share = DROPPED_SHARE.get(hubId);
        return share != null && ThreadLocalRandom.current().nextDouble() < share;
    }
}
