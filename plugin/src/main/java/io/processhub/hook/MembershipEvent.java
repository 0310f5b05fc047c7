package io.processhub.hook;

import java.util.UUID;

/** A node joining or leaving the hub. */
public class MembershipEvent extends HubEvent {
    private final String member;
    private final UUID memberId;
    private final boolean failed;

    public MembershipEvent(Hook hook, String hubId, String node, String member, UUID memberId, boolean failed) {
        super(hook, hubId, node);
        this.member = member;
        this.memberId = memberId;
        this.failed = failed;
    }

    /** Consistent id of the node that joined or left. */
    public String member() {
        return member;
    }

    public UUID memberId() {
        return memberId;
    }

    /** For a leave: whether the node failed (crash, network) rather than stopping cleanly. */
    public boolean failed() {
        return failed;
    }
}
