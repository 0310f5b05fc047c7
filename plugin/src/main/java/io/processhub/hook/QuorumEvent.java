package io.processhub.hook;

import java.util.List;

/** Quorum lost or regained: the members this node sees. */
public class QuorumEvent extends HubEvent {
    private final List<String> members;

    public QuorumEvent(Hook hook, String hubId, String node, List<String> members) {
        super(hook, hubId, node);
        this.members = List.copyOf(members);
    }

    public List<String> members() {
        return members;
    }
}
