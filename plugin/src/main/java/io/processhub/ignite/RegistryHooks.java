package io.processhub.ignite;

import io.processhub.ChildRef;
import io.processhub.hook.Hook;
import io.processhub.hook.RegistryEvent;

/**
 * Turns changes of the local registry copy into REGISTRY_PID_INSERTED / REMOVED events, and tells the
 * reconciler (on member nodes) that a child's spec was removed.
 */
final class RegistryHooks implements RegistryIndex.ChangeListener {
    private final HubContext hub;
    /** Null on nodes that do not run the hub. */
    private final Reconciler reconciler;

    RegistryHooks(HubContext hub, Reconciler reconciler) {
        this.hub = hub;
        this.reconciler = reconciler;
    }

    @Override
    public void specRemoved(String childId) {
        if (reconciler != null)
            reconciler.onSpecRemoved(childId);
    }

    @Override
    public void inserted(ChildRef ref) {
        hub.hooks.fire(Hook.REGISTRY_PID_INSERTED,
            () -> new RegistryEvent(Hook.REGISTRY_PID_INSERTED, hub.hubId, hub.localName, ref.childId(), ref));
    }

    @Override
    public void removed(ChildRef ref) {
        hub.hooks.fire(Hook.REGISTRY_PID_REMOVED,
            () -> new RegistryEvent(Hook.REGISTRY_PID_REMOVED, hub.hubId, hub.localName, ref.childId(), ref));
    }
}
