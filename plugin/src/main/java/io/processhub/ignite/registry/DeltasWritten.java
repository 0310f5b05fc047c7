package io.processhub.ignite.registry;

import javax.cache.event.CacheEntryEvent;
import javax.cache.event.EventType;
import org.apache.ignite.cache.CacheEntryEventSerializableFilter;

/**
 * The registry continuous query's remote filter: only batches being written reach the readers. Removals of batches
 * (a departed writer's log, once nothing in it is current) change nothing a reader holds, so they are not sent.
 */
public final class DeltasWritten implements CacheEntryEventSerializableFilter<String, Object> {
    private static final long serialVersionUID = 1L;

    @Override
    public boolean evaluate(CacheEntryEvent<? extends String, ?> e) {
        // By type only: reading the value would deserialize every batch on its primary.
        return e.getEventType() == EventType.CREATED || e.getEventType() == EventType.UPDATED;
    }
}
