package io.processhub.ignite.membership;

import io.processhub.RejoinConfiguration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.ignite.Ignite;
import org.apache.ignite.Ignition;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Stops this JVM's Ignite node and starts it again from a fresh configuration, until it has joined a cluster that
 * holds one of the former members it set out to reach (the same nodes, not restarted ones). Runs on a thread of its own: the old node's plugin (and its
 * threads) stop during the restart, and Ignite's threads must never wait for a node to start.
 */
public final class NodeRestart implements Runnable {
    private static final Logger LOG = LogManager.getLogger(NodeRestart.class);

    /** Instance names of the nodes of this JVM being started to rejoin: their discovery data says so. */
    private static final Set<String> REJOINING = ConcurrentHashMap.newKeySet();

    private final String instanceName;
    private final RejoinConfiguration cfg;
    /** Consistent id → node id of the former members, as seen before the split. */
    private final Map<String, UUID> former;

    private NodeRestart(String instanceName, RejoinConfiguration cfg, Map<String, UUID> former) {
        this.instanceName = instanceName;
        this.cfg = cfg;
        this.former = Map.copyOf(former);
    }

    /** Starts the restart of node {@code instanceName}, which should join the cluster of {@code former} (consistent id → node id). */
    static void launch(String instanceName, RejoinConfiguration cfg, Map<String, UUID> former) {
        Thread t = new Thread(new NodeRestart(instanceName, cfg, former), "processhub-rejoin-" + instanceName);
        t.setDaemon(true);
        t.start();
    }

    /** Whether node {@code instanceName} of this JVM is starting to rejoin the other side of a split. */
    public static boolean isRejoining(String instanceName) {
        return REJOINING.contains(String.valueOf(instanceName));
    }

    @Override
    public void run() {
        long stopStarted = System.nanoTime();
        Ignition.stop(instanceName, true);
        LOG.warn("Node {} stopped to rejoin in {} ms", instanceName, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopStarted));
        for (int attempt = 1; ; attempt++) {
            Ignite node = null;
            REJOINING.add(String.valueOf(instanceName));
            try {
                node = start();
            }
            catch (RuntimeException e) {
                LOG.warn("Node {}: rejoin attempt {} failed, next in {} ms: {}", instanceName, attempt,
                    cfg.getProbeIntervalMillis(), String.valueOf(e));
            }
            finally {
                REJOINING.remove(String.valueOf(instanceName));
            }
            if (node != null) {
                if (joinedFormerMembers(node)) {
                    LOG.warn("Node {} rejoined the cluster of its former members (attempt {}): servers {}", instanceName, attempt,
                        node.cluster().forServers().nodes().size());
                    return;
                }
                // No former member there: a cluster of its own (the others unreachable again), which must not last.
                LOG.warn("Node {}: rejoin attempt {} met none of {}, stopping again", instanceName, attempt, former.keySet());
                node.close();
            }
            try {
                Thread.sleep(cfg.getProbeIntervalMillis()); // back-off between attempts to start a node
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private Ignite start() {
        if (cfg.getConfigurationFactory() != null)
            return Ignition.start(cfg.getConfigurationFactory().create());
        return Ignition.start(cfg.getSpringConfigPath());
    }

    /** Whether the cluster {@code node} joined holds a former member, the very node seen before the split. */
    private boolean joinedFormerMembers(Ignite node) {
        for (ClusterNode n : node.cluster().forServers().nodes())
            if (n.id().equals(former.get(Membership.nameOf(n))))
                return true;
        return false;
    }
}
