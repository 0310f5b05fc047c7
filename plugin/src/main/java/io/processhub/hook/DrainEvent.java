package io.processhub.hook;

import java.util.UUID;

/** A member of the hub started draining ({@code ProcessHub.drain}) or was undrained. */
public class DrainEvent extends HubEvent {
    private final String member;
    private final UUID memberId;

    public DrainEvent(Hook hook, String hubId, String node, String member, UUID memberId) {
        super(hook, hubId, node);
        this.member = member;
        this.memberId = memberId;
    }

    /** Consistent id of the node that started draining or was undrained. */
    public String member() {
        return member;
    }

    public UUID memberId() {
        return memberId;
    }
}
