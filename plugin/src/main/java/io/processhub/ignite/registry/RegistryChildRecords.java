package io.processhub.ignite.registry;

import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import io.processhub.ignite.HubContext;
import io.processhub.ignite.supervision.ChildRecords;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The supervisor's records of what runs on this node, kept as registry entries (a spec per child, a ref per
 * replica) through the registry's one write path.
 */
public final class RegistryChildRecords implements ChildRecords {
    private final HubContext hub;

    public RegistryChildRecords(HubContext hub) {
        this.hub = hub;
    }

    @Override
    public CompletableFuture<?> registered(List<ChildSpec> specs, List<ChildRef> refs) {
        return hub.registry.writer().registerStarted(specs, refs);
    }

    @Override
    public void reregistered(ChildRef ref) {
        hub.registry.writer().reregister(ref);
    }

    @Override
    public CompletableFuture<?> unregistered(Collection<String> childIds, boolean retire) {
        return retire ? hub.registry.writer().retire(childIds) : hub.registry.writer().unregisterOwn(childIds);
    }
}
