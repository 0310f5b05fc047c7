package io.processhub.ignite.registry;

import org.apache.ignite.cache.affinity.rendezvous.RendezvousAffinityFunction;

/**
 * The registry cache's affinity: Ignite's default for a REPLICATED cache (rendezvous, 512 partitions), except that a
 * writer's batches are placed by the writer. They then share a partition, and a partition's continuous-query events
 * arrive in the order they were written, so a writer's batches arrive in sequence order: a gap is a lost event.
 */
public final class RegistryAffinity extends RendezvousAffinityFunction {
    private static final long serialVersionUID = 1L;

    public RegistryAffinity() {
        super(false, 512);
    }

    @Override
    public int partition(Object key) {
        String writer = key instanceof String ? RegistryKeys.writerOf((String)key) : null;
        return super.partition(writer != null ? writer : key);
    }
}
