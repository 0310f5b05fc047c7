package io.processhub.bench;

import io.processhub.ChildSpec;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.EventType;
import org.apache.ignite.IgniteCache;

/**
 * (a) Today's layout, the baseline: a spec entry under the child id and a replica entry under id + NUL + node id
 * per child; a stop removes both. No sequence numbers: a reader cannot tell that it missed an event.
 */
final class EntryLayout implements FloorLayout {
    @Override public String name() {
        return "a entries";
    }

    @Override public FloorWriter writer(int writer, UUID nodeId, IgniteCache<Object, Object> registry, IgniteCache<Object, Object> snapshots) {
        return new FloorWriter(writer, registry) {
            private long events;

            @Override void publish(List<FloorChange> batch) {
                Map<Object, Object> puts = new HashMap<>();
                Set<Object> removes = new HashSet<>();
                for (FloorChange c : batch) {
                    if (c.isStop()) {
                        removes.add(c.childId);
                        removes.add(c.childId + '\u0000' + nodeId);
                    }
                    else {
                        puts.put(c.childId, c.spec);
                        puts.put(c.childId + '\u0000' + nodeId, c.ref);
                    }
                    events += 2;
                }
                if (!puts.isEmpty())
                    track(registry.putAllAsync(puts));
                if (!removes.isEmpty())
                    track(registry.removeAllAsync(removes));
            }

            @Override long target() {
                return events;
            }
        };
    }

    @Override public FloorReader reader(int writers) {
        return new FloorReader() {
            private final Map<String, Object> refs = new HashMap<>();
            private long events;

            @Override void apply(CacheEntryEvent<?, ?> e) {
                events++;
                String key = (String)e.getKey();
                boolean ref = key.indexOf('\u0000') >= 0;
                if (e.getEventType() == EventType.REMOVED) {
                    if (ref)
                        refs.remove(key);
                    else
                        remove(key);
                }
                else if (ref)
                    refs.put(key, e.getValue());
                else
                    insert(FloorChange.start((ChildSpec)e.getValue(), null));
            }

            @Override long progressLocked() {
                return events;
            }
        };
    }
}
