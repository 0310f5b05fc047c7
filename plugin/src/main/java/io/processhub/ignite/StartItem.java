package io.processhub.ignite;

import io.processhub.ChildSpec;

/** One replica to start: the child's spec and which of its owners (0 = first) should run it. */
final class StartItem {
    final ChildSpec spec;
    final int replica;

    StartItem(ChildSpec spec, int replica) {
        this.spec = spec;
        this.replica = replica;
    }
}
