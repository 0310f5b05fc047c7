package io.processhub.ignite.transport;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The remote nodes known to listen for one hub's requests, and the requests held for nodes not known to yet. A
 * node is a hub member (it owns children) from the topology version it joined at, but it listens only once its
 * hub has opened, which loads the registry first: a request sent to it in between would be lost and its sender
 * would wait for a reply until its timeout. Transport holds such requests here and sends them when the node says
 * it listens ({@link Transport}'s hello); requests held for a node that leaves are dropped (their senders fail them
 * when they learn it left, as for any request to a node that leaves).
 */
final class ListeningNodes {
    private final Set<UUID> listening = ConcurrentHashMap.newKeySet();
    /** Guarded by this. */
    private final Map<UUID, List<Object>> held = new HashMap<>();

    boolean isListening(UUID node) {
        return listening.contains(node);
    }

    /** Holds {@code msg} for {@code node} unless the node listens already; true if held. */
    synchronized boolean holdUnlessListening(UUID node, Object msg) {
        if (listening.contains(node))
            return false;
        held.computeIfAbsent(node, k -> new ArrayList<>()).add(msg);
        return true;
    }

    /** Notes that {@code node} listens; answers the requests held for it, oldest first, for the caller to send. */
    synchronized List<Object> listens(UUID node) {
        listening.add(node);
        List<Object> res = held.remove(node);
        return res == null ? List.of() : res;
    }

    /** Forgets a node that left, and the requests held for it. */
    synchronized void left(UUID node) {
        listening.remove(node);
        held.remove(node);
    }
}
