package io.processhub.ignite.registry;

import io.processhub.ignite.HubContext;
import io.processhub.ignite.reconcile.Reconciler;

import io.processhub.ChildRef;
import io.processhub.hook.Hook;
import io.processhub.hook.RegistryEvent;

/**
 * Passes on the changes of the local registry copy: REGISTRY_PID_INSERTED / REMOVED hook events, callers
 * waiting to see their changes, and (on member nodes) the reconciler, which stops replicas whose spec was
 * removed. Runs on the continuous-query thread, and on Ignite's threads for batches read from the cache to fill a
 * gap: only hands over.
 */
public final class RegistryListener implements RegistryIndex.ChangeListener {
    private final HubContext hub;
    private final Visibility visibility;
    /** Null on nodes that do not run the hub. */
    private final Reconciler reconciler;

    public RegistryListener(HubContext hub, Visibility visibility, Reconciler reconciler) {
        this.hub = hub;
        this.visibility = visibility;
        this.reconciler = reconciler;
    }

    @Override
    public void specRemoved(String childId) {
        visibility.specRemoved(childId);
        if (reconciler != null)
            reconciler.onSpecRemoved(childId);
    }

    @Override
    public void inserted(ChildRef ref) {
        visibility.inserted(ref);
        hub.hooks.fire(Hook.REGISTRY_PID_INSERTED,
            () -> new RegistryEvent(Hook.REGISTRY_PID_INSERTED, hub.hubId, hub.localName, ref.childId(), ref));
    }

    @Override
    public void removed(ChildRef ref) {
        hub.hooks.fire(Hook.REGISTRY_PID_REMOVED,
            () -> new RegistryEvent(Hook.REGISTRY_PID_REMOVED, hub.hubId, hub.localName, ref.childId(), ref));
    }
}
