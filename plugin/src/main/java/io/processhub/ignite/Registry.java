package io.processhub.ignite;

import io.processhub.ChildRef;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import javax.cache.Cache;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.EventType;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.cache.CacheAtomicityMode;
import org.apache.ignite.cache.CacheMode;
import org.apache.ignite.cache.CacheWriteSynchronizationMode;
import org.apache.ignite.cache.query.ContinuousQuery;
import org.apache.ignite.cache.query.QueryCursor;
import org.apache.ignite.cache.query.ScanQuery;
import org.apache.ignite.configuration.CacheConfiguration;
import org.apache.ignite.lang.IgniteFuture;
import org.apache.ignite.util.AttributeNodeFilter;

/**
 * The hub's registry: a REPLICATED cache that is the truth, and the continuous query that keeps this
 * node's {@link RegistryIndex} in step with it. Writes are batched and asynchronous.
 */
final class Registry implements AutoCloseable {
    /** Largest number of entries in one cache call; bigger batches are split. */
    private static final int CHUNK = 4096;

    private final Ignite ignite;
    private final String hubId;
    private final String cacheName;
    private final RegistryIndex index;
    private final Consumer<Set<String>> onChange;

    private IgniteCache<String, Object> cache;
    private QueryCursor<Cache.Entry<String, Object>> cursor;

    /** Events that arrive while the initial scan runs; applied after it, in order. */
    private final Object initLock = new Object();
    private List<CacheEntryEvent<? extends String, ?>> buffered = new ArrayList<>();
    private volatile boolean live;
    private volatile boolean closed;

    private final RegistryIndex.ChangeListener replicaListener;
    /** Silent while the initial scan loads what existed before this node attached. */
    private static final RegistryIndex.ChangeListener SILENT = new RegistryIndex.ChangeListener() {
        @Override
        public void inserted(ChildRef ref) {
        }

        @Override
        public void removed(ChildRef ref) {
        }
    };

    Registry(Ignite ignite, String hubId, RegistryIndex index, Consumer<Set<String>> onChange,
        RegistryIndex.ChangeListener replicaListener) {
        this.replicaListener = replicaListener;
        this.ignite = ignite;
        this.hubId = hubId;
        this.cacheName = cacheName(hubId);
        this.index = index;
        this.onChange = onChange;
    }

    static String cacheName(String hubId) {
        return "processhub-registry-" + hubId;
    }

    static CacheConfiguration<String, Object> cacheConfiguration(String hubId, String memberAttribute) {
        return new CacheConfiguration<String, Object>(cacheName(hubId))
            .setCacheMode(CacheMode.REPLICATED)
            .setAtomicityMode(CacheAtomicityMode.ATOMIC)
            .setWriteSynchronizationMode(CacheWriteSynchronizationMode.FULL_SYNC)
            .setNodeFilter(new AttributeNodeFilter(memberAttribute, "true"));
    }

    /** Member nodes create the cache if needed; other nodes only attach to it. Blocks: call at start. */
    boolean open(String memberAttribute, boolean member) {
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
    boolean isLoaded() {
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
            index.apply(e.getKey(), removed ? null : e.getValue(), replicaListener);
            changed.add(RegistryKeys.childIdOf(e.getKey()));
        }
        if (!changed.isEmpty())
            onChange.accept(changed);
    }

    /**
     * Writes and removes entries in as few cache calls as possible; completes when all are acknowledged.
     * After {@link #close()} (the node is stopping) it writes nothing: the survivors clean up after this node.
     */
    CompletableFuture<Void> write(Map<String, Object> puts, Collection<String> removes) {
        if (closed)
            return CompletableFuture.completedFuture(null);
        List<CompletableFuture<Void>> parts = new ArrayList<>();
        if (!puts.isEmpty()) {
            Map<String, Object> chunk = new HashMap<>();
            for (Map.Entry<String, Object> e : puts.entrySet()) {
                chunk.put(e.getKey(), e.getValue());
                if (chunk.size() == CHUNK) {
                    parts.add(toFuture(cache.putAllAsync(chunk)));
                    chunk = new HashMap<>();
                }
            }
            if (!chunk.isEmpty())
                parts.add(toFuture(cache.putAllAsync(chunk)));
        }
        if (!removes.isEmpty()) {
            Set<String> chunk = new HashSet<>();
            for (String k : removes) {
                chunk.add(k);
                if (chunk.size() == CHUNK) {
                    parts.add(toFuture(cache.removeAllAsync(chunk)));
                    chunk = new HashSet<>();
                }
            }
            if (!chunk.isEmpty())
                parts.add(toFuture(cache.removeAllAsync(chunk)));
        }
        return CompletableFuture.allOf(parts.toArray(new CompletableFuture[0]));
    }

    /** Reads the current values of these keys from the cache (a key without a value is absent from the result). */
    CompletableFuture<Map<String, Object>> read(Set<String> keys) {
        if (closed)
            return CompletableFuture.completedFuture(Map.of());
        CompletableFuture<Map<String, Object>> res = new CompletableFuture<>();
        cache.getAllAsync(keys).listen(done -> {
            try {
                res.complete(done.get());
            }
            catch (RuntimeException e) {
                res.completeExceptionally(e);
            }
        });
        return res;
    }

    /**
     * Corrects replicas of the local copy that the cache, read after they were seen here, no longer has or has
     * with another value, as if the continuous query had delivered the missing events (listeners included). A
     * replica the continuous query changed since it was seen is left alone: that change is newer than the read.
     *
     * @param believed replica key → the ref the local copy held when the cache was read
     * @param actual what the cache held for those keys
     * @return how many replicas were corrected
     */
    int correct(Map<String, ChildRef> believed, Map<String, Object> actual) {
        Set<String> changed = new HashSet<>();
        believed.forEach((key, seen) -> {
            ChildRef now = (ChildRef)actual.get(key);
            if (seen.equals(now))
                return;
            String childId = RegistryKeys.childIdOf(key);
            if (!index.correctRef(childId, RegistryKeys.nodeIdOf(key), seen, now))
                return;
            if (now == null)
                replicaListener.removed(seen);
            else
                replicaListener.inserted(now);
            changed.add(childId);
        });
        if (!changed.isEmpty())
            onChange.accept(changed);
        return changed.size();
    }

    private static CompletableFuture<Void> toFuture(IgniteFuture<?> f) {
        CompletableFuture<Void> res = new CompletableFuture<>();
        f.listen(done -> {
            try {
                done.get();
                res.complete(null);
            }
            catch (RuntimeException e) {
                res.completeExceptionally(e);
            }
        });
        return res;
    }

    IgniteCache<String, Object> cache() {
        return cache;
    }

    @Override
    public void close() {
        closed = true;
        if (cursor != null)
            cursor.close();
    }
}
