package io.processhub.bench;

import org.apache.ignite.services.Service;

/**
 * The service-grid counterpart of {@link io.processhub.examples.CounterChild}: a key-affinity singleton that
 * counts, called through a service proxy.
 */
public class GridCounter implements Service, GridCounterApi {
    private static final long serialVersionUID = 1L;

    private long count;

    @Override
    public long get() {
        return count;
    }
}
