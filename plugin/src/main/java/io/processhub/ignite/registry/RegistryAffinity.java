package io.processhub.ignite.registry;

import org.apache.ignite.cache.affinity.rendezvous.RendezvousAffinityFunction;

/**
 * The registry cache's affinity: Ignite's default for a REPLICATED cache (rendezvous, 512 partitions), except that a
 * key is placed by the child id it names. A child's spec entry and its replica entries then share a partition, and a
 * partition's continuous-query events arrive in the order they were written, so a child's events do too.
 *
 * <p>Keys stay Strings (see {@link RegistryKeys}): {@code control.sh --cache scan}, thin clients and an operator's
 * {@code cache.remove("child-id")} see the same keys as before.
 */
public final class RegistryAffinity extends RendezvousAffinityFunction {
    private static final long serialVersionUID = 1L;

    public RegistryAffinity() {
        super(false, 512);
    }

    @Override
    public int partition(Object key) {
        return super.partition(key instanceof String ? RegistryKeys.childIdOf((String)key) : key);
    }
}
