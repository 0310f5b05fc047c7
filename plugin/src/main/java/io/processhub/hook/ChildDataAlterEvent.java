package io.processhub.hook;

import io.processhub.ChildSpec;
import java.util.Objects;

/**
 * A child about to be created: handlers may replace its spec (keeping its id). Handlers run in priority
 * order, each seeing the spec the previous one set; the last one's spec is created and registered.
 */
public class ChildDataAlterEvent extends HubEvent {
    private final String childId;
    private ChildSpec spec;

    public ChildDataAlterEvent(Hook hook, String hubId, String node, ChildSpec spec) {
        super(hook, hubId, node);
        this.childId = spec.id();
        this.spec = spec;
    }

    public ChildSpec spec() {
        return spec;
    }

    /** Replaces the spec; the id must stay the same. */
    public void setSpec(ChildSpec spec) {
        Objects.requireNonNull(spec, "spec");
        if (!childId.equals(spec.id()))
            throw new IllegalArgumentException("an alter handler may not change the child id (" + childId + " -> " + spec.id() + ')');
        this.spec = spec;
    }
}
