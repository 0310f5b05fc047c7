package io.processhub.tests;

import io.processhub.ignite.registry.RegistryDelta;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.cache.Cache;
import org.apache.ignite.Ignite;
import org.apache.ignite.cache.query.QueryCursor;
import org.apache.ignite.cache.query.ScanQuery;

/**
 * What a hub's registry cache says, folded the way every node folds it: each writer's batches in order, the highest
 * version of each logical key winning, a removal at version v removing what is at v or older. Read straight from
 * the cache as the given node sees it, trusting nothing a node's index holds.
 */
final class RegistryContents {
    private RegistryContents() {
    }

    /** Logical key (child id, or child id + NUL + node id) → its spec or ref. */
    static Map<String, Object> of(Ignite node, String hubId) {
        List<RegistryDelta> deltas = new ArrayList<>();
        try (QueryCursor<Cache.Entry<String, Object>> scan =
                 node.<String, Object>cache("processhub-registry-" + hubId).query(new ScanQuery<>())) {
            for (Cache.Entry<String, Object> e : scan)
                if (e.getValue() instanceof RegistryDelta)
                    deltas.add((RegistryDelta)e.getValue());
        }
        deltas.sort(Comparator.comparing(RegistryDelta::writer).thenComparingLong(RegistryDelta::seq));
        Map<String, Object> values = new HashMap<>();
        Map<String, Long> versions = new HashMap<>();
        for (RegistryDelta d : deltas) {
            for (int i = 0; i < d.removedKeys().size(); i++) {
                String key = d.removedKeys().get(i);
                long upTo = d.removedUpTo(i);
                if (versions.getOrDefault(key, Long.MIN_VALUE) <= upTo) {
                    values.remove(key);
                    versions.put(key, upTo);
                }
            }
            for (int i = 0; i < d.values().size(); i++) {
                Object v = d.values().get(i);
                String key = RegistryDelta.keyOf(v);
                if (versions.getOrDefault(key, Long.MIN_VALUE) < d.valueVersion(i)) {
                    values.put(key, v);
                    versions.put(key, d.valueVersion(i));
                }
            }
        }
        return values;
    }
}
