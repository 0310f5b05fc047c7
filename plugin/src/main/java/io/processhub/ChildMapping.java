package io.processhub;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a guided child's mapped nodes live: in its spec's metadata under {@link #METADATA_KEY}, as the node names
 * joined by commas. The spec is in the registry on every node, so every node finds a child's nodes locally. A start
 * request's {@link StartOptions#childMapping child mapping} is written there before the request leaves the caller;
 * a spec may also carry the key itself (static children configured in XML).
 */
public final class ChildMapping {
    /** The metadata key holding a child's mapped nodes, e.g. {@code "node-1,node-2"}; empty: not in the mapping. */
    public static final String METADATA_KEY = "processhub.nodes";

    private ChildMapping() {
    }

    /**
     * The nodes named for a child: null if nothing was named (no mapping), empty if the request had a mapping without
     * an entry for this child.
     */
    public static List<String> nodesOf(ChildSpec spec) {
        String value = spec == null ? null : spec.metadata().get(METADATA_KEY);
        if (value == null)
            return null;
        if (value.isEmpty())
            return List.of();
        return Arrays.asList(value.split(",", -1));
    }

    /**
     * The specs with the mapping written into their metadata (an entry of the mapping replaces the spec's own; a child
     * the mapping does not name keeps the spec's own, or is marked as not mapped). Null specs stay as they are (they
     * are refused later); without a mapping the specs are returned unchanged.
     */
    public static List<ChildSpec> apply(Collection<ChildSpec> specs, Map<String, List<String>> mapping) {
        List<ChildSpec> res = new ArrayList<>(specs);
        if (mapping == null)
            return res;
        for (int i = 0; i < res.size(); i++) {
            ChildSpec spec = res.get(i);
            if (spec == null || spec.id() == null)
                continue;
            List<String> nodes = mapping.get(spec.id());
            if (nodes != null)
                res.set(i, spec.withMetadata(METADATA_KEY, String.join(",", nodes)));
            else if (!spec.metadata().containsKey(METADATA_KEY))
                res.set(i, spec.withMetadata(METADATA_KEY, ""));
        }
        return res;
    }

    /**
     * A copy of a caller's mapping that is safe to keep: node lists copied in order.
     *
     * @throws NullPointerException for a null mapping, child id, node list or node name
     * @throws IllegalArgumentException for a node name holding a comma (it could not be kept in the metadata)
     */
    static Map<String, List<String>> copy(Map<String, ? extends List<String>> mapping) {
        HashMap<String, List<String>> res = new HashMap<>();
        mapping.forEach((id, nodes) -> {
            if (id == null || nodes == null)
                throw new NullPointerException("child mapping entry " + id + " -> " + nodes);
            for (String node : nodes) {
                if (node == null)
                    throw new NullPointerException("child mapping names a null node for " + id);
                if (node.contains(","))
                    throw new IllegalArgumentException("child mapping names node '" + node + "' for " + id
                        + ": node names with a comma cannot be mapped");
            }
            res.put(id, List.copyOf(nodes));
        });
        return Map.copyOf(res);
    }
}
