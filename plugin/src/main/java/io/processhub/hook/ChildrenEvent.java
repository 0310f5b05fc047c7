package io.processhub.hook;

import io.processhub.ChildSpec;
import java.util.List;

/** A group of children about to be started, moved away, or forwarded. */
public class ChildrenEvent extends HubEvent {
    private final List<ChildSpec> children;
    private final String target;

    public ChildrenEvent(Hook hook, String hubId, String node, List<ChildSpec> children, String target) {
        super(hook, hubId, node);
        this.children = List.copyOf(children);
        this.target = target;
    }

    public List<ChildSpec> children() {
        return children;
    }

    /** For FORWARDED_MIGRATION and CHILDREN_MIGRATED: the node the children go to; otherwise this node. */
    public String target() {
        return target;
    }
}
