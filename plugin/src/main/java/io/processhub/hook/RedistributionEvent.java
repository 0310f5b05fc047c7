package io.processhub.hook;

import java.util.List;

/** A membership change being handled: the members after it, and who joined and left. */
public class RedistributionEvent extends HubEvent {
    private final long topologyVersion;
    private final List<String> members;
    private final List<String> joined;
    private final List<String> left;

    public RedistributionEvent(Hook hook, String hubId, String node, long topologyVersion, List<String> members,
        List<String> joined, List<String> left) {
        super(hook, hubId, node);
        this.topologyVersion = topologyVersion;
        this.members = List.copyOf(members);
        this.joined = List.copyOf(joined);
        this.left = List.copyOf(left);
    }

    /** The Ignite topology version this membership belongs to. */
    public long topologyVersion() {
        return topologyVersion;
    }

    public List<String> members() {
        return members;
    }

    public List<String> joined() {
        return joined;
    }

    public List<String> left() {
        return left;
    }
}
