package io.processhub.ignite.supervision;

import io.processhub.ChildSpec;

/** One replica to start: the child's spec and which of its owners (0 = first) should run it. */
public final class StartItem {
    public final ChildSpec spec;
    public final int replica;

    public StartItem(ChildSpec spec, int replica) {
        this.spec = spec;
        this.replica = replica;
    }
}
