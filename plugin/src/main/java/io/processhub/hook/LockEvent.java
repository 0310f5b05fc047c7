package io.processhub.hook;

/** The hub loop started (locked) or finished (unlocked) handling a membership change. */
public class LockEvent extends HubEvent {
    private final boolean locked;

    public LockEvent(Hook hook, String hubId, String node, boolean locked) {
        super(hook, hubId, node);
        this.locked = locked;
    }

    public boolean locked() {
        return locked;
    }
}
