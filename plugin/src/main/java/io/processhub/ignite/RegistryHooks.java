package io.processhub.ignite;

import io.processhub.ChildRef;
import io.processhub.hook.Hook;
import io.processhub.hook.RegistryEvent;

/** Turns replica changes of the local registry copy into REGISTRY_PID_INSERTED / REMOVED events. */
final class RegistryHooks implements RegistryIndex.ReplicaListener {
    private final HubContext hub;

    RegistryHooks(HubContext hub) {
        this.hub = hub;
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
