package io.processhub.ignite.membership;

import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * The nodes being drained from one hub, as stored cluster-wide: consistent id → the id of the node instance that
 * was drained. The instance id makes "a draining node that leaves is no longer draining" hold by itself: a node that
 * comes back under the same consistent id is a new instance. Immutable; stored as text (one
 * {@code <node id> <consistent id>} line per node, sorted), so two equal sets are equal values for a compare-and-set.
 */
public final class DrainingNodes {
    public static final DrainingNodes NONE = new DrainingNodes(new TreeMap<>());

    private final TreeMap<String, UUID> byName;

    private DrainingNodes(TreeMap<String, UUID> byName) {
        this.byName = byName;
    }

    public static DrainingNodes decode(String text) {
        TreeMap<String, UUID> res = new TreeMap<>();
        if (text != null)
            for (String line : text.split("\n"))
                if (line.length() > 37)
                    res.put(line.substring(37), UUID.fromString(line.substring(0, 36)));
        return new DrainingNodes(res);
    }

    public String encode() {
        StringBuilder sb = new StringBuilder();
        byName.forEach((name, id) -> sb.append(id).append(' ').append(name).append('\n'));
        return sb.toString();
    }

    public DrainingNodes with(String name, UUID id) {
        TreeMap<String, UUID> res = new TreeMap<>(byName);
        res.put(name, id);
        return new DrainingNodes(res);
    }

    public DrainingNodes without(String name) {
        TreeMap<String, UUID> res = new TreeMap<>(byName);
        res.remove(name);
        return new DrainingNodes(res);
    }

    /** Only the nodes whose instance is still there (by id). */
    public DrainingNodes retain(Predicate<UUID> alive) {
        TreeMap<String, UUID> res = new TreeMap<>(byName);
        res.values().removeIf(alive.negate());
        return res.size() == byName.size() ? this : new DrainingNodes(res);
    }

    public boolean isDraining(String name, UUID id) {
        return id.equals(byName.get(name));
    }

    public Set<UUID> ids() {
        return Collections.unmodifiableSet(new HashSet<>(byName.values()));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DrainingNodes && ((DrainingNodes)o).byName.equals(byName);
    }

    @Override
    public int hashCode() {
        return byName.hashCode();
    }

    @Override
    public String toString() {
        return byName.keySet().toString();
    }
}
