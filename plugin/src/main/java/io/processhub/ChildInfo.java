package io.processhub;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the registry knows of one child: its spec (with metadata) and the refs of its running replicas. */
public final class ChildInfo {
    private final ChildSpec spec;
    private final List<ChildRef> refs;

    public ChildInfo(ChildSpec spec, List<ChildRef> refs) {
        this.spec = spec;
        this.refs = List.copyOf(refs);
    }

    public String id() {
        return spec.id();
    }

    public ChildSpec spec() {
        return spec;
    }

    public Map<String, String> metadata() {
        return spec.metadata();
    }

    /** Refs of the running replicas; empty while the child is being (re)started somewhere. */
    public List<ChildRef> refs() {
        return refs;
    }

    /** The active replica, if one is registered. */
    public Optional<ChildRef> activeRef() {
        for (ChildRef r : refs)
            if (r.role() == ReplicaRole.ACTIVE)
                return Optional.of(r);
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "ChildInfo[" + spec + ", " + refs + ']';
    }
}
