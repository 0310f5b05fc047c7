package io.processhub.hook;

/** What every hook event carries: which hook, which hub, and the node where it happened. */
public class HubEvent {
    private final Hook hook;
    private final String hubId;
    private final String node;

    public HubEvent(Hook hook, String hubId, String node) {
        this.hook = hook;
        this.hubId = hubId;
        this.node = node;
    }

    public Hook hook() {
        return hook;
    }

    public String hubId() {
        return hubId;
    }

    /** Consistent id of the node the event happened on. */
    public String node() {
        return node;
    }

    @Override
    public String toString() {
        return hook + "@" + node + "[" + hubId + "]";
    }
}
