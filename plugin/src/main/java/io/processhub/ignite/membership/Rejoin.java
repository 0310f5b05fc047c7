package io.processhub.ignite.membership;

import io.processhub.RejoinConfiguration;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.ignite.Ignite;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.events.DiscoveryEvent;
import org.apache.ignite.events.Event;
import org.apache.ignite.events.EventType;
import org.apache.ignite.lang.IgnitePredicate;
import org.apache.ignite.spi.discovery.tcp.TcpDiscoverySpi;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Notices that a split this node's side lost has healed, and has the node rejoin the other side (see {@code
 * RejoinConfiguration}). Every probe interval, on a thread of its own: while some hub of the node lacks quorum and
 * {@link RejoinRule} says this side is the one to move, it pings the former members' discovery addresses; the first
 * answer from a former member, the very node seen before the split, starts a {@link NodeRestart}.
 */
public final class Rejoin {
    private static final Logger LOG = LogManager.getLogger(Rejoin.class);

    private final Ignite ignite;
    private final RejoinConfiguration cfg;
    private final BooleanSupplier lostQuorum;
    private final KnownServers known = new KnownServers();
    private final ScheduledExecutorService probe;
    private final DiscoveryPing ping;
    private IgnitePredicate<Event> listener;
    private boolean launched;
    /** Whether this side lacks quorum and is the one to move, at the last probe: read by the join validation. */
    private volatile boolean moving;

    /** @param lostQuorum whether some hub of this node lacks quorum now */
    public Rejoin(Ignite ignite, RejoinConfiguration cfg, BooleanSupplier lostQuorum) {
        this.ignite = ignite;
        this.cfg = cfg;
        this.lostQuorum = lostQuorum;
        this.ping = new DiscoveryPing((TcpDiscoverySpi)ignite.configuration().getDiscoverySpi(), ignite.cluster().localNode().id());
        this.probe = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "processhub-rejoin-probe-" + ignite.name());
            t.setDaemon(true);
            return t;
        });
    }

    public void start() {
        listener = evt -> {
            String id = Membership.nameOf(((DiscoveryEvent)evt).eventNode());
            boolean failed = evt.type() == EventType.EVT_NODE_FAILED;
            long now = System.currentTimeMillis();
            probe.execute(() -> {
                if (failed)
                    known.failed(id, now);
                else
                    known.left(id);
            });
            return true;
        };
        ignite.events().localListen(listener, EventType.EVT_NODE_LEFT, EventType.EVT_NODE_FAILED);
        long interval = cfg.getProbeIntervalMillis();
        probe.scheduleWithFixedDelay(this::tick, 0, interval, TimeUnit.MILLISECONDS);
    }

    public void stop() {
        if (listener != null)
            ignite.events().stopLocalListen(listener);
        probe.shutdownNow();
    }

    /**
     * Whether, at the last probe, some hub of this node lacked quorum and its side was the one to restart: such a
     * side refuses rejoining nodes (they are to join the other side). A side that stays accepts them, with or
     * without quorum (an even split).
     */
    public boolean isMoving() {
        return moving;
    }

    private void tick() {
        if (launched)
            return;
        try {
            Collection<ClusterNode> servers = ignite.cluster().forServers().nodes();
            known.seen(servers);
            if (!lostQuorum.getAsBoolean()) {
                moving = false;
                known.forgetFailedBefore(System.currentTimeMillis() - cfg.getForgetFailedAfterMillis());
                return;
            }
            Set<String> side = new HashSet<>();
            for (ClusterNode n : servers)
                side.add(Membership.nameOf(n));
            Map<String, KnownServers.Server> former = known.formerThan(side);
            moving = RejoinRule.sideRestarts(side, former.keySet());
            if (!moving) {
                LOG.debug("Node {} lacks quorum but its side {} stays (former members {})", ignite.name(), side, former.keySet());
                return;
            }
            Map<String, UUID> formerIds = new TreeMap<>();
            former.forEach((id, server) -> formerIds.put(id, server.nodeId));
            for (Map.Entry<String, KnownServers.Server> e : former.entrySet())
                for (InetSocketAddress addr : e.getValue().addresses) {
                    // Only the very node lost at the split counts: a crashed member started again (a new node id,
                    // maybe a cluster of its own with an empty registry) is not the other side of a split.
                    if (e.getValue().nodeId.equals(ping.ping(addr, cfg.getProbeIntervalMillis()))) {
                        LOG.warn("Node {} lacks quorum and its former member {} answers at {}: restarting the node to rejoin "
                            + "its cluster (this side: {}, former members: {})", ignite.name(), e.getKey(), addr, side, former.keySet());
                        launched = true;
                        NodeRestart.launch(ignite.name(), cfg, formerIds);
                        return;
                    }
                }
        }
        catch (RuntimeException e) {
            LOG.debug("Rejoin probe of node {} skipped: {}", ignite.name(), String.valueOf(e));
        }
    }
}
