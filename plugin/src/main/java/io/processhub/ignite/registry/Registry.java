package io.processhub.ignite.registry;

import io.processhub.ignite.HubContext;

import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import javax.cache.Cache;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.EventType;
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

/**
 * The hub's registry: a REPLICATED cache that is the truth, and the continuous query that keeps this
 * node's {@link RegistryIndex} in step with it. Every write goes through its {@link RegistryWriter}.
 */
public final class Registry implements AutoCloseable {
    private final Ignite ignite;
    private final String hubId;
    private final String cacheName;
    private final RegistryIndex index;
    /** Set by {@link #open}, before the first event. */
    private volatile Consumer<Set<String>> onChange;
    private final RegistryWriter writer;

    private IgniteCache<String, Object> cache;
    private QueryCursor<Cache.Entry<String, Object>> cursor;

    /** Events that arrive while the initial scan runs; applied after it, in order. */
    private final Object initLock = new Object();
    private List<CacheEntryEvent<? extends String, ?>> buffered = new ArrayList<>();
    private volatile boolean live;
    private volatile boolean closed;
    /** Keys the continuous query changed while an audit was running (see {@link #correct}). */
    private final Set<String> touched = ConcurrentHashMap.newKeySet();
    private final AtomicInteger audits = new AtomicInteger();
    /**
     * Held by a scan while it iterates, taken exclusively by {@link #close}: Ignite frees the cache's off-heap pages
     * when the node stops, and a scan still iterating them then crashes the JVM (SIGSEGV, seen in the suite).
     */
    private final ReentrantReadWriteLock scanGuard = new ReentrantReadWriteLock();

    /** Set by {@link #open}, before the first event. */
    private volatile RegistryIndex.ChangeListener replicaListener;
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
        this.ignite = hub.ignite;
        this.hubId = hub.hubId;
        this.cacheName = cacheName(hub.hubId);
        this.index = hub.index;
        this.writer = new RegistryWriter(hub, this);
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
            // The plugin reads the cache only to check its local copy, so reads must be the truth: a node's own
            // replica of an entry can lag behind the continuous-query event already delivered for it.
            .setReadFromBackup(false)
            // A joining node's cache starts only once its copy is complete, so the continuous query's initial scan
            // (local on a REPLICATED cache) never reads partitions still being filled: with ASYNC it returned entries
            // removed meanwhile, whose removal events were then never delivered (dozens per 30,000-child join).
            .setRebalanceMode(CacheRebalanceMode.SYNC)
            .setNodeFilter(new AttributeNodeFilter(memberAttribute, "true"))
            // A child's spec and replica entries in one partition: their events arrive in the order written.
            .setAffinity(new RegistryAffinity());
    }

    /** Member nodes create the cache if needed; other nodes only attach to it. Blocks: call at start. */
    public boolean open(String memberAttribute, boolean member, Consumer<Set<String>> onChange,
        RegistryIndex.ChangeListener replicaListener) {
        this.onChange = onChange;
        this.replicaListener = replicaListener;
        cache = member
            ? ignite.getOrCreateCache(cacheConfiguration(hubId, memberAttribute))
            : ignite.cache(cacheName);
        if (cache == null)
            return false;
        ContinuousQuery<String, Object> query = new ContinuousQuery<>();
        query.setInitialQuery(new ScanQuery<>());
        query.setLocalListener(this::onEvents);
        // Remote nodes batch events up to a page, flushed at the latest after the interval.
        query.setPageSize(256);
        query.setTimeInterval(5);
        cursor = cache.query(query);
        for (Cache.Entry<String, Object> e : cursor)
            index.apply(e.getKey(), e.getValue(), SILENT);
        synchronized (initLock) {
            apply(buffered);
            buffered = null;
            live = true;
        }
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
                    events.forEach(buffered::add);
                    return;
                }
            }
        }
        apply(events);
    }

    private void apply(Iterable<CacheEntryEvent<? extends String, ?>> events) {
        Set<String> changed = new HashSet<>();
        for (CacheEntryEvent<? extends String, ?> e : events) {
            boolean removed = e.getEventType() == EventType.REMOVED || e.getEventType() == EventType.EXPIRED;
            if (audits.get() > 0)
                touched.add(e.getKey());
            index.apply(e.getKey(), removed ? null : e.getValue(), replicaListener);
            changed.add(RegistryKeys.childIdOf(e.getKey()));
        }
        if (!changed.isEmpty())
            onChange.accept(changed);
    }

    /** Reads the current values of these keys from the cache (a key without a value is absent from the result). */
    public CompletableFuture<Map<String, Object>> read(Set<String> keys) {
        // Never an empty answer for a closed registry: the caller would take every key for removed.
        if (closed)
            return CompletableFuture.failedFuture(new IllegalStateException("the registry of hub " + hubId + " is closed"));
        CompletableFuture<Map<String, Object>> res = new CompletableFuture<>();
        try {
            cache.getAllAsync(keys).listen(done -> {
                try {
                    res.complete(done.get());
                }
                catch (RuntimeException e) {
                    res.completeExceptionally(e);
                }
            });
        }
        catch (RuntimeException e) {
            res.completeExceptionally(e); // the node is stopping
        }
        return res;
    }

    /**
     * Starts an audit: from now on, keys the continuous query changes are remembered until the audit ends, so
     * that {@link #correct} can tell a replica the local copy missed from one that came and went meanwhile.
     */
    public void beginAudit() {
        audits.incrementAndGet();
    }

    public void endAudit() {
        if (audits.decrementAndGet() == 0)
            touched.clear();
    }

    /**
     * Corrects entries of the local copy against the cache, read after they were seen here, as if the continuous
     * query had delivered the missing events (listeners included):
     * <ul>
     * <li>an entry the copy holds that the cache no longer has, or has with another value (a replica), is removed
     * or replaced, unless the continuous query changed it since it was seen (compared by instance: every applied
     * change stores a new one);</li>
     * <li>a replica the copy lacks and the cache has is added, only if no event touched its key since the audit
     * began ({@link #beginAudit}): "nothing here" alone cannot tell a missed insertion from an insertion and removal
     * applied meanwhile. Specs are never added: adding back a removed spec would restart a stopped child, while a
     * missing one only hides the child from this node's reads until its owner writes it again.</li>
     * </ul>
     *
     * @param believed registry key → the instance the local copy held when the cache was read (null: none)
     * @param actual what the cache held for those keys (a key without a value is absent)
     * @return how many children were corrected
     */
    public int correct(Map<String, Object> believed, Map<String, Object> actual) {
        if (closed)
            return 0;
        Set<String> changed = new HashSet<>();
        believed.forEach((key, seen) -> {
            if (seen == null ? addMissed(key, actual.get(key)) : fix(key, seen, actual.get(key)))
                changed.add(RegistryKeys.childIdOf(key));
        });
        if (!changed.isEmpty())
            onChange.accept(changed);
        return changed.size();
    }

    private boolean fix(String key, Object seen, Object now) {
        String childId = RegistryKeys.childIdOf(key);
        if (RegistryKeys.isReplicaKey(key)) {
            if (seen.equals(now) || !index.correctRef(childId, RegistryKeys.nodeIdOf(key), (ChildRef)seen, (ChildRef)now))
                return false;
            if (now == null)
                replicaListener.removed((ChildRef)seen);
            else
                replicaListener.inserted((ChildRef)now);
            return true;
        }
        // A spec only comes and goes; its value is not compared (constructor arguments need not define equals).
        if (now != null || !index.correctSpec(childId, (ChildSpec)seen, null))
            return false;
        replicaListener.specRemoved(childId);
        return true;
    }

    private boolean addMissed(String key, Object now) {
        if (now == null || !RegistryKeys.isReplicaKey(key) || touched.contains(key) || index.valueOf(key) != null)
            return false;
        index.apply(key, now, replicaListener);
        return true;
    }

    /**
     * Compares the whole local copy with a scan of the cache. Blocks for the scan: never on an Ignite or loop
     * thread. Call between {@link #beginAudit} and {@link #endAudit}.
     *
     * @return registry key → what the local copy holds (null: nothing), for the replicas the scan has that the copy
     *     lacks or holds with another value, and the entries the copy holds that the scan lacks
     */
    public Map<String, Object> differences() {
        Map<String, Object> differ = new HashMap<>();
        Set<String> inCache = new HashSet<>();
        scanGuard.readLock().lock();
        if (closed) {
            scanGuard.readLock().unlock();
            return differ;
        }
        try (QueryCursor<Cache.Entry<String, Object>> scan = cache.query(new ScanQuery<String, Object>())) {
            for (Cache.Entry<String, Object> e : scan) {
                if (closed)
                    return new HashMap<>(); // stopping: whatever was read is incomplete
                inCache.add(e.getKey());
                Object mine = index.valueOf(e.getKey());
                if (RegistryKeys.isReplicaKey(e.getKey()) && !e.getValue().equals(mine))
                    differ.put(e.getKey(), mine);
            }
        }
        finally {
            scanGuard.readLock().unlock();
        }
        for (String id : index.childIds()) {
            RegistryIndex.Entry e = index.get(id);
            if (e == null)
                continue;
            if (e.spec != null && !inCache.contains(id))
                differ.put(id, e.spec);
            for (ChildRef r : e.refs) {
                String key = RegistryKeys.replicaKey(id, r.nodeId());
                if (!inCache.contains(key))
                    differ.put(key, r);
            }
        }
        return differ;
    }

    /** The cache, for the writer only: nothing else writes it. */
    IgniteCache<String, Object> cache() {
        return cache;
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
        scanGuard.writeLock().lock(); // waits for a running scan to notice and end
        scanGuard.writeLock().unlock();
        if (cursor != null)
            cursor.close();
    }
}
