package io.processhub.ignite.antientropy;

import io.processhub.ignite.HubContext;
import io.processhub.ignite.membership.Membership;
import io.processhub.strategy.SynchronizationStrategy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;
import org.apache.ignite.cluster.ClusterNode;

/**
 * Finds batches this node never received although no later batch revealed the gap (the last ones a writer
 * published, or all of a writer's). Every sync interval of the hub's {@link SynchronizationStrategy}, digests (the
 * last seq applied per writer: O(writers), not O(children)) are compared, and a writer this node is behind on is
 * read from the cache ({@code Registry.catchUp}):
 * <ul>
 * <li>PubSub ({@code gossipRecipients() == 0}): this node's digest against the cache, one read per writer;</li>
 * <li>Gossip: a round's digest travels from member to member ({@link GossipDigest}), {@code recipients} random
 * members not yet reached at a time, each taking the maximum with its own; the members that find none left to
 * reach send the merged digest to every member.</li>
 * </ul>
 */
public final class AntiEntropy {
    private final HubContext hub;
    private final SynchronizationStrategy strategy;
    /** Sends a message to a member; false if it could not be sent. */
    private final BiPredicate<UUID, Object> send;
    private ScheduledFuture<?> task;

    public AntiEntropy(HubContext hub, BiPredicate<UUID, Object> send) {
        this.hub = hub;
        this.strategy = hub.config.getSynchronizationStrategy();
        this.send = send;
    }

    public void start() {
        long interval = strategy.syncIntervalMillis();
        task = hub.timer.scheduleWithFixedDelay(this::round, interval, interval, TimeUnit.MILLISECONDS);
    }

    public void stop() {
        if (task != null)
            task.cancel(false);
    }

    private void round() {
        Membership m = hub.membership();
        if (m == null || !m.contains(hub.localNodeId))
            return;
        if (strategy.gossipRecipients() == 0) {
            Set<UUID> writers = new HashSet<>();
            for (ClusterNode n : m.nodes())
                writers.add(n.id());
            hub.registry.checkAgainstCache(writers);
        }
        else if (strategy.initiatesRound(hub.localName, m.memberNames()))
            forward(hub.registry.digest(), List.of(hub.localNodeId));
    }

    /** A gossip message from another member. Any thread: only reads and sends. */
    public void accept(GossipDigest msg) {
        Map<UUID, Long> mine = hub.registry.digest();
        Map<UUID, Long> merged = new HashMap<>(mine);
        msg.digest.forEach((writer, seq) -> {
            if (seq > mine.getOrDefault(writer, 0L))
                hub.registry.catchUp(writer);
            merged.merge(writer, seq, Math::max);
        });
        if (msg.last)
            return;
        List<UUID> reached = new ArrayList<>(msg.reached);
        if (!reached.contains(hub.localNodeId))
            reached.add(hub.localNodeId);
        forward(merged, reached);
    }

    /** Sends the digest on to up to {@code recipients} members not reached yet; if none is left, to all, as the last word. */
    private void forward(Map<UUID, Long> digest, List<UUID> reached) {
        Membership m = hub.membership();
        if (m == null)
            return;
        List<UUID> left = new ArrayList<>();
        for (ClusterNode n : m.nodes())
            if (!reached.contains(n.id()))
                left.add(n.id());
        if (left.isEmpty()) {
            GossipDigest last = new GossipDigest(digest, reached, true);
            for (ClusterNode n : m.nodes())
                if (!n.id().equals(hub.localNodeId))
                    send.test(n.id(), last);
            return;
        }
        Collections.shuffle(left);
        List<UUID> next = left.subList(0, Math.min(strategy.gossipRecipients(), left.size()));
        List<UUID> nowReached = new ArrayList<>(reached);
        nowReached.addAll(next);
        GossipDigest msg = new GossipDigest(digest, nowReached, false);
        for (UUID n : next)
            send.test(n, msg);
    }
}
