package io.processhub.ignite.registry;

import io.processhub.ignite.SerialExecutor;
import io.processhub.ChildRef;
import io.processhub.ignite.HubContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.cache.Cache;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.event.CacheEntryEvent;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.cache.CacheAtomicityMode;
import org.apache.ignite.cache.CacheMode;
import org.apache.ignite.cache.CacheRebalanceMode;
import org.apache.ignite.cache.CacheWriteSynchronizationMode;
import org.apache.ignite.cache.query.ContinuousQuery;
import org.apache.ignite.cache.query.QueryCursor;
import org.apache.ignite.cache.query.ScanQuery;
import org.apache.ignite.configuration.CacheConfiguration;
import org.apache.ignite.util.AttributeNodeFilter;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The hub's registry: a REPLICATED cache of every writer's numbered batches ({@link RegistryDelta}), and the
 * continuous query that brings each batch to every node's {@link RegistryIndex}, through one applier that takes a
 * writer's batches in order. A batch arriving ahead of a missing one reveals a late or lost event at once: the
 * missing batches are read from the cache right away; if their events never come, each is a correction (logged and
 * counted: it should not happen). Every write goes through the {@link RegistryWriter}.
 */
public final class Registry implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(Registry.class);
    /** Before reading a gap from the cache, the missing batch's own event gets this long to arrive. */
    private static final long GAP_GRACE_MILLIS = 20;
    /** A gap still open is looked at again after this long (doubling up to 1 s). */
    private static final long GAP_RETRY_MILLIS = 50;
    /** Batches read in one go when filling a gap. */
    private static final int GAP_READ = 256;
    /** How many of a writer's next batches a digest check looks for in the cache. */
    private static final int DIGEST_PROBES = 4;
    /** A batch the digest check finds in the cache and not received is awaited as an event only if older than this. */
    private static final long LOST_AFTER_MILLIS = 1_000;

    private final HubContext hub;
    private final Ignite ignite;
    private final String hubId;
    private final String cacheName;
    private final RegistryIndex index;
    private final VersionClock clock;
    private final DeltaApplier applier;
    private final DeltaPublisher publisher;
    private final RegistryWriter writer;
    private final LogCompactor compactor;
    /** The thread that applies delivered batches (see {@link #apply}). */
    private final SerialExecutor applying;
    /** Set by {@link #open}, before the first event. */
    private volatile Consumer<Set<String>> onChange;

    private IgniteCache<String, Object> cache;
    private QueryCursor<Cache.Entry<String, Object>> cursor;

    /** Batches that arrive while the initial scan runs; applied after it. */
    private final Object initLock = new Object();
    private List<RegistryDelta> buffered = new ArrayList<>();
    private volatile boolean live;
    private volatile boolean closed;
    private java.util.concurrent.ScheduledFuture<?> lostEventsCount;
    /** Batches read from the cache whose events are awaited: late or lost. */
    private final MissedEvents missed = new MissedEvents();
    /** Writers whose gap is being read: one read at a time per writer. */
    private final Set<UUID> reading = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Silent while the initial scan loads what existed before this node attached. */
    private static final RegistryIndex.ChangeListener SILENT = new RegistryIndex.ChangeListener() {
        @Override
        public void inserted(ChildRef ref) {
        }

        @Override
        public void removed(ChildRef ref) {
        }
    };

    public Registry(HubContext hub) {
        this.hub = hub;
        this.ignite = hub.ignite;
        this.hubId = hub.hubId;
        this.cacheName = cacheName(hub.hubId);
        this.index = hub.index;
        this.clock = new VersionClock(ignite.cluster().localNode().order());
        this.applier = new DeltaApplier(index, SILENT, clock::observe, this::gapFound, clock.writerBits(),
            this::ownRecordSuperseded);
        this.publisher = new DeltaPublisher(hub.localNodeId, clock, () -> hub.membership().topologyVersion(), hub.timer, this,
            new SerialExecutor("processhub-registry-" + hub.hubId + "-" + hub.localName, hub.workers));
        this.applying = new SerialExecutor("processhub-apply-" + hub.hubId + "-" + hub.localName, hub.workers);
        this.writer = new RegistryWriter(hub, this);
        this.compactor = new LogCompactor(hub, publisher, applier, clock.writerBits(), RegistryTuning.fromSystemProperties());
    }

    private void ownRecordSuperseded() {
        publisher.ownRecordSuperseded();
    }

    /** The one way to write the registry. */
    public RegistryWriter writer() {
        return writer;
    }

    public static String cacheName(String hubId) {
        return "processhub-registry-" + hubId;
    }

    public static CacheConfiguration<String, Object> cacheConfiguration(String hubId, String memberAttribute) {
        return new CacheConfiguration<String, Object>(cacheName(hubId))
            .setCacheMode(CacheMode.REPLICATED)
            .setAtomicityMode(CacheAtomicityMode.ATOMIC)
            .setWriteSynchronizationMode(CacheWriteSynchronizationMode.FULL_SYNC)
            // Batches are written once and never changed, and FULL_SYNC has every copy written before a write
            // completes: the local copy is as good as the primary's, and reading it costs no network.
            .setReadFromBackup(true)
            // A joining node's cache starts only once its copy is complete, so the continuous query's initial scan
            // (local on a REPLICATED cache) never reads partitions still being filled.
            .setRebalanceMode(CacheRebalanceMode.SYNC)
            .setNodeFilter(new AttributeNodeFilter(memberAttribute, "true"))
            // A writer's batches in one partition: their events arrive in the order written.
            .setAffinity(new RegistryAffinity())
            // No entry expires: without eager TTL Ignite starts no TTL-cleanup thread for it.
            .setEagerTtl(false);
    }

    /** Member nodes create the cache if needed; other nodes only attach to it. Blocks: call at start. */
    public boolean open(String memberAttribute, boolean member, Consumer<Set<String>> onChange,
        RegistryIndex.ChangeListener listener) {
        this.onChange = onChange;
        cache = member
            ? ignite.getOrCreateCache(cacheConfiguration(hubId, memberAttribute))
            : ignite.cache(cacheName);
        if (cache == null)
            return false;
        ContinuousQuery<String, Object> query = new ContinuousQuery<>();
        query.setInitialQuery(new ScanQuery<>());
        query.setRemoteFilterFactory(FactoryBuilder.factoryOf(DeltasWritten.class));
        query.setLocalListener(this::onEvents);
        // One batch per event, sent as soon as written: no buffer to flush, so no timer thread per query
        // (a time interval makes Ignite start one on every node for every query).
        query.setPageSize(1);
        query.setTimeInterval(0);
        cursor = cache.query(query);
        List<RegistryDelta> existing = new ArrayList<>();
        for (Cache.Entry<String, Object> e : cursor)
            if (e.getValue() instanceof RegistryDelta)
                existing.add((RegistryDelta)e.getValue());
        existing.sort(Comparator.comparing(RegistryDelta::writer).thenComparingLong(RegistryDelta::seq));
        Set<String> ignored = new HashSet<>();
        for (RegistryDelta d : existing)
            applier.receive(d, ignored);
        synchronized (initLock) {
            applier.listener(listener);
            Set<String> changed = new HashSet<>();
            for (RegistryDelta d : buffered)
                applier.receive(d, changed);
            buffered = null;
            live = true;
            if (!changed.isEmpty())
                onChange.accept(changed);
        }
        if (member)
            compactor.start();
        lostEventsCount = hub.timer.scheduleWithFixedDelay(this::countLostEvents, 1, 1, TimeUnit.SECONDS);
        return true;
    }

    /** Whether the local copy is loaded: until then it must not be reconciled against. */
    public boolean isLoaded() {
        return live;
    }

    private void onEvents(Iterable<CacheEntryEvent<? extends String, ?>> events) {
        if (!live) {
            synchronized (initLock) {
                if (!live) {
                    for (CacheEntryEvent<? extends String, ?> e : events)
                        buffered.add((RegistryDelta)e.getValue());
                    return;
                }
            }
        }
        List<CacheEntryEvent<? extends String, ?>> batch = new ArrayList<>();
        for (CacheEntryEvent<? extends String, ?> e : events)
            if (!RegistryEventLoss.dropNow(hubId))
                batch.add(e);
        try {
            applying.execute(() -> apply(batch));
        }
        catch (RejectedExecutionException closing) {
            LOG.debug("Hub {} on {}: registry closed, {} batches not applied", hubId, hub.localName, batch.size());
        }
    }

    /**
     * Decodes and applies batches, on the applying thread. Not on the thread that delivered them: Ignite calls the
     * listener on the striped thread that applies the cache update, a writer's put completes only once every node's
     * listener returned, and the applier's lock made every writer wait for every other.
     */
    private void apply(List<CacheEntryEvent<? extends String, ?>> events) {
        Set<String> changed = new HashSet<>();
        for (CacheEntryEvent<? extends String, ?> e : events) {
            RegistryDelta d = (RegistryDelta)e.getValue();
            applier.receive(d, changed);
            missed.arrived(d.writer(), d.seq()); // after: a read of the same batch counts it only if it is not applied yet
        }
        if (!changed.isEmpty())
            onChange.accept(changed);
    }

    // ---------------------------------------------------------------- gaps

    /** A writer's batch arrived ahead of a missing one (under the applier's lock: only schedules). */
    private void gapFound(UUID writer, long firstMissing, long firstHeld) {
        LOG.debug("Hub {} on {}: batch {} of writer {} arrived before {}", hubId, hub.localName, firstHeld, writer, firstMissing);
        schedule(() -> fillGap(writer, GAP_RETRY_MILLIS), GAP_GRACE_MILLIS);
    }

    /** Reads a writer's missing batches from the cache, if they are still missing. */
    private void fillGap(UUID writer, long nextDelay) {
        long firstHeld = applier.firstHeld(writer);
        if (closed || firstHeld == 0)
            return;
        if (!reading.add(writer)) {
            // A digest's catch-up is reading this writer: look again once it is done.
            schedule(() -> fillGap(writer, nextDelay), nextDelay);
            return;
        }
        long from = applier.applied(writer) + 1;
        readFrom(writer, from, Math.min(firstHeld, from + GAP_READ), 0, "a later batch arrived first").whenComplete((found, err) -> {
            reading.remove(writer);
            if (err != null || closed)
                return;
            if (applier.firstHeld(writer) == 0)
                return; // filled
            if (found == 0 && ignite.cluster().node(writer) == null) {
                // Its node is gone with batches it never wrote: nothing will ever fill the gap.
                long held = applier.firstHeld(writer);
                LOG.warn("Hub {} on {}: batches {}..{} of departed writer {} were never written; applying its later ones",
                    hubId, hub.localName, applier.applied(writer) + 1, held - 1, writer);
                Set<String> changed = new HashSet<>();
                applier.skipTo(writer, held, changed);
                notifyChanged(changed);
                return;
            }
            schedule(() -> fillGap(writer, Math.min(1_000, nextDelay * 2)), found > 0 ? 0 : nextDelay);
        });
    }

    /**
     * Catches up with a writer: reads its batches from {@code applied + 1} on, until one is missing. What anti-entropy
     * calls when a digest shows this node behind.
     */
    public void catchUp(UUID writer) {
        if (closed || !reading.add(writer))
            return;
        long from = applier.applied(writer) + 1;
        readFrom(writer, from, from + GAP_READ, LOST_AFTER_MILLIS, "found by a digest check").whenComplete((found, err) -> {
            reading.remove(writer);
            if (err == null && found == GAP_READ)
                catchUp(writer);
        });
    }

    /**
     * Reads batches [from, to) of a writer and applies those found; completes with how many were found. A batch found
     * that was not applied yet and is at least {@code lostAfterMillis} old is counted as a lost event.
     */
    private CompletableFuture<Integer> readFrom(UUID writer, long from, long to, long lostAfterMillis, String how) {
        return readLog(writer, from, to - 1).thenApply(read -> applyRead(writer, read, lostAfterMillis, how));
    }

    private int applyRead(UUID writer, List<RegistryDelta> read, long lostAfterMillis, String how) {
        long now = System.currentTimeMillis();
        Set<String> changed = new HashSet<>();
        applier.receiveRead(read, changed, d -> {
            if (now - d.writtenAtMillis() >= lostAfterMillis)
                missed.readFromCache(writer, d.seq(), how, now);
        });
        notifyChanged(changed);
        return read.size();
    }

    /**
     * Counts the batches read from the cache whose events never came: each a lost event, logged and counted as a
     * correction (it should not happen). Every second.
     */
    private void countLostEvents() {
        Map<String, String> lost = missed.lost(System.currentTimeMillis());
        if (lost.isEmpty())
            return;
        LOG.warn("Hub {} on {}: {} registry batches never arrived as events and were read from the cache (writer:seq → how "
            + "found): {}", hubId, hub.localName, lost.size(), lost);
        hub.metrics.registryCorrections.add(lost.size());
    }

    private void notifyChanged(Set<String> changed) {
        if (!changed.isEmpty())
            onChange.accept(changed);
    }

    private void schedule(Runnable task, long delayMillis) {
        try {
            hub.timer.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        }
        catch (RejectedExecutionException stopping) {
            // the node is stopping
        }
    }

    /**
     * The batches [from, to] of a writer still in the cache, in order, with one read: to fill a gap, or a departed
     * writer's log, read by the oldest member before it removes it.
     */
    CompletableFuture<List<RegistryDelta>> readLog(UUID writer, long from, long to) {
        Set<String> keys = new HashSet<>();
        for (long s = from; s <= to; s++)
            keys.add(RegistryKeys.delta(writer, s));
        return IgniteFutures.of(() -> cache.getAllAsync(keys)).thenApply(got -> {
            List<RegistryDelta> log = new ArrayList<>();
            for (Object v : got.values())
                log.add((RegistryDelta)v);
            log.sort(Comparator.comparingLong(RegistryDelta::seq));
            return log;
        });
    }

    // ---------------------------------------------------------------- digests

    /** The last batch applied here of each writer: this node's digest. */
    public Map<UUID, Long> digest() {
        return applier.applied();
    }

    /**
     * Compares this node's digest with the cache, for these writers (the hub's members and every writer known here):
     * one read of each writer's next few batches. A writer with a batch there that this node has not applied was
     * missed. A few, not one: the batch whose event was lost may be gone already, replaced by the writer's snapshot
     * (its next seqs), whose event may have been lost too.
     */
    public void checkAgainstCache(Set<UUID> writers) {
        if (closed || !live)
            return;
        Map<String, UUID> next = new HashMap<>();
        Set<UUID> all = new HashSet<>(writers);
        all.addAll(applier.applied().keySet());
        for (UUID w : all)
            for (long s = applier.applied(w) + 1; s <= applier.applied(w) + DIGEST_PROBES; s++)
                next.put(RegistryKeys.delta(w, s), w);
        IgniteFutures.of(() -> cache.getAllAsync(next.keySet())).whenComplete((found, err) -> {
            if (err != null)
                LOG.debug("Hub {} on {}: digest check not finished (the node is stopping?)", hubId, hub.localName, err);
            else
                for (String key : found.keySet())
                    catchUp(next.get(key));
        });
    }

    // ---------------------------------------------------------------- for the writer

    /** The cache, for the publisher only: nothing else writes it. */
    IgniteCache<String, Object> cache() {
        return cache;
    }

    DeltaPublisher publisher() {
        return publisher;
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
        compactor.stop();
        if (lostEventsCount != null)
            lostEventsCount.cancel(false);
        publisher.close();
        if (cursor != null)
            cursor.close();
        applying.shutdown();
    }
}
