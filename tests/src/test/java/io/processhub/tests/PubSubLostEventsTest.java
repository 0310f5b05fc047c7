package io.processhub.tests;

import io.processhub.strategy.PubSub;
import io.processhub.strategy.SynchronizationStrategy;

/** {@link RegistryLostEvents} under PubSub: each node checks its digest against the registry cache. */
class PubSubLostEventsTest extends RegistryLostEvents {
    @Override
    SynchronizationStrategy synchronization() {
        PubSub sync = new PubSub();
        sync.setSyncInterval(SYNC_INTERVAL_MILLIS);
        return sync;
    }
}
