package io.processhub.ignite.registry;

import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import io.processhub.ignite.HubContext;
import io.processhub.ignite.supervision.ChildRecords;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** The supervisor's records of what runs on this node, kept as registry entries: a spec per child, a ref per replica. */
public final class RegistryChildRecords implements ChildRecords {
    private final HubContext hub;

    public RegistryChildRecords(HubContext hub) {
        this.hub = hub;
    }

    @Override
    public CompletableFuture<?> registered(List<ChildSpec> specs, List<ChildRef> refs) {
        Map<String, Object> puts = new HashMap<>(specs.size() * 4);
        for (int i = 0; i < specs.size(); i++) {
            puts.put(specs.get(i).id(), specs.get(i));
            puts.put(RegistryKeys.replicaKey(refs.get(i).childId(), hub.localNodeId), refs.get(i));
        }
        return hub.registry.write(puts, List.of());
    }

    @Override
    public void reregistered(ChildRef ref) {
        hub.registry.write(Map.of(RegistryKeys.replicaKey(ref.childId(), hub.localNodeId), ref), List.of());
    }

    @Override
    public CompletableFuture<?> unregistered(Collection<String> childIds, boolean retire) {
        List<String> removes = new ArrayList<>(childIds.size() * (retire ? 2 : 1));
        for (String id : childIds) {
            removes.add(RegistryKeys.replicaKey(id, hub.localNodeId));
            if (retire)
                removes.add(id);
        }
        return hub.registry.write(Map.of(), removes);
    }
}
