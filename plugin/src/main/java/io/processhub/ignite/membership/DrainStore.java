package io.processhub.ignite.membership;

import io.processhub.ProcessHubException;
import java.io.Serializable;
import java.util.function.UnaryOperator;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCheckedException;
import org.apache.ignite.internal.IgniteEx;
import org.apache.ignite.internal.processors.metastorage.DistributedMetaStorage;
import org.apache.ignite.internal.processors.metastorage.DistributedMetaStorageListener;

/**
 * One hub's draining nodes in Ignite's distributed metastorage (internal API: there is no public one in 2.17). Its
 * updates are discovery messages: every node, clients included, applies them in the same order, a node that joins
 * receives the current value with its join, and the value outlives the node that wrote it. A compare-and-set makes
 * a drain's check ("not the last node") and its write one step, whoever else drains at the same time.
 */
public final class DrainStore {
    private final String key;
    private final DistributedMetaStorage storage;

    public DrainStore(Ignite ignite, String hubId) {
        this.key = "processhub.drain." + hubId;
        this.storage = ((IgniteEx)ignite).context().distributedMetastorage();
    }

    /** The current value, from this node's copy. */
    public DrainingNodes read() {
        return DrainingNodes.decode(raw());
    }

    private String raw() {
        try {
            return storage.read(key);
        }
        catch (IgniteCheckedException e) {
            throw new ProcessHubException("the draining nodes could not be read from Ignite's metastorage", e);
        }
    }

    /**
     * Runs {@code onChange} after each update of the value. It runs on Ignite's discovery thread, under the
     * metastorage's lock: it must only hand work to another thread. There is no way to stop listening.
     */
    public void listen(Runnable onChange) {
        DistributedMetaStorageListener<Serializable> listener = (k, oldVal, newVal) -> onChange.run();
        storage.listen(key::equals, listener);
    }

    /**
     * Applies {@code change} to the current value and writes the result if no other write came between; otherwise
     * again, on the new value. Blocks for the discovery round trip of the write: never call it on an Ignite thread.
     * What {@code change} throws is thrown as is, nothing written.
     *
     * @return the value written (or the current one, if {@code change} left it as it was)
     */
    public DrainingNodes update(UnaryOperator<DrainingNodes> change) {
        while (true) {
            String raw = raw();
            DrainingNodes current = DrainingNodes.decode(raw);
            DrainingNodes next = change.apply(current);
            if (next.equals(current))
                return current;
            try {
                if (storage.compareAndSet(key, raw, next.encode()))
                    return next;
            }
            catch (IgniteCheckedException e) {
                throw new ProcessHubException("the draining nodes could not be written to Ignite's metastorage", e);
            }
        }
    }
}
