package io.processhub.bench;

import java.util.UUID;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.cache.CacheEntryEventSerializableFilter;

/** A candidate storage layout of the registry: how a node writes its records and how a node's index reads them. */
interface FloorLayout {
    String name();

    /** {@code snapshots} is a second REPLICATED cache without a continuous query, for compaction output. */
    FloorWriter writer(int writer, UUID nodeId, IgniteCache<Object, Object> registry, IgniteCache<Object, Object> snapshots);

    FloorReader reader(int writers);

    /** Remote filter of the continuous query, or null for none. */
    default CacheEntryEventSerializableFilter<Object, Object> filter() {
        return null;
    }
}
