package io.processhub.ignite.registry;

import javax.cache.processor.MutableEntry;
import org.apache.ignite.cache.CacheEntryProcessor;

/**
 * Removes a registry entry only if it still holds exactly the value the remover saw: a compare-and-set removal, so
 * that a newer value (a replica registered again by its node) is never removed by someone acting on an older one.
 * A plain class, not a lambda: Ignite ships it to the entry's primary node.
 */
final class RemoveIfUnchanged implements CacheEntryProcessor<String, Object, Boolean> {
    private static final long serialVersionUID = 1L;

    private final Object expected;

    RemoveIfUnchanged(Object expected) {
        this.expected = expected;
    }

    @Override
    public Boolean process(MutableEntry<String, Object> entry, Object... args) {
        if (!entry.exists() || !expected.equals(entry.getValue()))
            return false;
        entry.remove();
        return true;
    }
}
