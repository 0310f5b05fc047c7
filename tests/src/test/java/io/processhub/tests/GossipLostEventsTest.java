package io.processhub.tests;

import io.processhub.strategy.Gossip;
import io.processhub.strategy.SynchronizationStrategy;

/**
 * {@link RegistryLostEvents} under Gossip: digests travel between members (one recipient at a time, rounds started by
 * the first member only), and no digest is read from the cache.
 */
class GossipLostEventsTest extends RegistryLostEvents {
    @Override
    SynchronizationStrategy synchronization() {
        Gossip sync = new Gossip();
        sync.setSyncInterval(SYNC_INTERVAL_MILLIS);
        sync.setRecipients(1);
        return sync;
    }
}
