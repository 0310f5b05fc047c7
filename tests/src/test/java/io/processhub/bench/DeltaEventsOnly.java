package io.processhub.bench;

import javax.cache.event.CacheEntryEvent;
import javax.cache.event.EventType;
import org.apache.ignite.cache.CacheEntryEventSerializableFilter;

/** Remote filter: readers need appended deltas only, not the removals of compacted ones. */
final class DeltaEventsOnly implements CacheEntryEventSerializableFilter<Object, Object> {
    private static final long serialVersionUID = 1L;

    @Override public boolean evaluate(CacheEntryEvent<?, ?> e) {
        return e.getEventType() != EventType.REMOVED;
    }
}
