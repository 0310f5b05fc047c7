package io.processhub.ignite;

import io.processhub.ignite.inspection.InspectionViews;
import io.processhub.ignite.membership.Rejoin;

import io.processhub.HubConfiguration;
import io.processhub.ProcessHub;
import io.processhub.ProcessHubPlugin;
import io.processhub.RejoinConfiguration;
import io.processhub.UnknownHubException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.ignite.Ignite;
import org.apache.ignite.cluster.ClusterNode;

/**
 * The plugin object of one node: the hubs it runs, views of hubs it does not run, and the thread pools
 * they share (child mailboxes, timers, a worker pool).
 */
public final class ProcessHubPluginImpl implements ProcessHubPlugin {
    private final List<HubConfiguration> configs;
    private final RejoinConfiguration rejoinConfig;
    private final Map<String, HubRuntime> hubs = new ConcurrentHashMap<>();
    private Rejoin rejoin;
    private Ignite ignite;
    private ExecutorService childPool;
    private ScheduledExecutorService timer;
    /** Completes callers' futures and lends threads to every hub's serial executors (loop, registry, hooks). */
    private ExecutorService workers;
    /** Set as the node stops: from then on no hub is opened here (a view opened then would outlive the node). */
    private volatile boolean stopping;

    public ProcessHubPluginImpl(List<HubConfiguration> configs, RejoinConfiguration rejoinConfig) {
        this.configs = new ArrayList<>(configs);
        this.rejoinConfig = rejoinConfig;
    }

    /** Starts the configured hubs. Called from {@code onIgniteStart}, when the node has joined. */
    public void start(Ignite ignite) {
        this.ignite = ignite;
        String node = String.valueOf(ignite.cluster().localNode().consistentId());
        childPool = Executors.newFixedThreadPool(Math.max(4, 2 * Runtime.getRuntime().availableProcessors()),
            daemon("processhub-child-" + node));
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, daemon("processhub-timer-" + node));
        scheduler.setRemoveOnCancelPolicy(true); // answered requests drop their timeout task at once
        timer = scheduler;
        // Threads end 2 s after their last task, so an idle node keeps next to none.
        workers = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 2, TimeUnit.SECONDS, new SynchronousQueue<>(),
            daemon("processhub-worker-" + node));
        workers.execute(() -> WireTypes.register(ignite));
        for (HubConfiguration cfg : configs)
            hubs.put(cfg.getHubId(), HubRuntime.startMember(cfg, ignite, childPool, timer, workers));
        InspectionViews.register(ignite, hubs.values());
        if (rejoinConfig.isEnabled()) {
            rejoin = new Rejoin(ignite, rejoinConfig, this::lostQuorum);
            rejoin.start();
        }
    }

    /**
     * Whether this node lacks quorum on a hub and its side is the one to rejoin the other after a split ({@code
     * RejoinConfiguration}); false with rejoin off. Any thread (also Ignite's discovery threads).
     */
    public boolean rejoinsOtherSide() {
        return rejoin != null && rejoin.isMoving();
    }

    /** Whether some hub this node runs lacks quorum now. Any thread. */
    private boolean lostQuorum() {
        for (HubRuntime rt : hubs.values())
            if (rt.lostQuorum())
                return true;
        return false;
    }

    /** Stops every hub and the pools. */
    public void stop() {
        stopping = true;
        if (rejoin != null)
            rejoin.stop();
        hubs.values().forEach(HubRuntime::stop);
        hubs.clear();
        if (childPool == null)
            return;
        childPool.shutdown();
        try {
            childPool.awaitTermination(5, TimeUnit.SECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        childPool.shutdownNow();
        timer.shutdownNow();
        workers.shutdownNow();
    }

    @Override
    public ProcessHub hub(String hubId) {
        if (hubId == null || hubId.isBlank())
            throw new UnknownHubException("hub id must not be null or blank");
        HubRuntime rt = hubs.get(hubId);
        if (rt != null && !stopping)
            return rt.api();
        if (stopping)
            throw new UnknownHubException("the node is stopping: hub " + hubId + " is no longer available on it");
        if (ignite == null)
            throw new UnknownHubException("the node has not finished starting; hub " + hubId + " is not available yet");
        if (!runsAnywhere(hubId))
            throw new UnknownHubException("no node of the cluster runs hub " + hubId + "; hubs in the cluster: " + clusterHubIds());
        synchronized (this) {
            if (stopping)
                throw new UnknownHubException("the node is stopping: hub " + hubId + " is no longer available on it");
            return hubs.computeIfAbsent(hubId, id -> HubRuntime.startView(id, ignite, timer, workers)).api();
        }
    }

    /** The runtime of a hub on this node (member or view), or null if this node has not opened it. */
    public HubRuntime runtime(String hubId) {
        return hubs.get(hubId);
    }

    @Override
    public Set<String> localHubIds() {
        Set<String> res = new TreeSet<>();
        for (HubConfiguration c : configs)
            res.add(c.getHubId());
        return Collections.unmodifiableSet(res);
    }

    private boolean runsAnywhere(String hubId) {
        String attr = HubContext.memberAttribute(hubId);
        for (ClusterNode n : ignite.cluster().forServers().nodes())
            if (n.attribute(attr) != null)
                return true;
        return false;
    }

    private Set<String> clusterHubIds() {
        Set<String> res = new TreeSet<>();
        String prefix = HubContext.memberAttribute("");
        for (ClusterNode n : ignite.cluster().forServers().nodes())
            for (String attr : n.attributes().keySet())
                if (attr.startsWith(prefix))
                    res.add(attr.substring(prefix.length()));
        return res;
    }

    /** Node attributes that mark this node as a member of its hubs. */
    public static Map<String, Object> memberAttributes(List<HubConfiguration> configs) {
        Map<String, Object> res = new LinkedHashMap<>();
        for (HubConfiguration c : configs)
            res.put(HubContext.memberAttribute(c.getHubId()), "true");
        return res;
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
