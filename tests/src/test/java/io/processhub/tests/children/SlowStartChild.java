package io.processhub.tests.children;

import io.processhub.ChildContext;

/** A {@link ProbeChild} whose {@code start} waits at a {@link Gates gate} the test opens when it chooses. */
public class SlowStartChild extends ProbeChild {
    private final String gate;

    public SlowStartChild(String gate) {
        this.gate = gate;
    }

    @Override
    public void start(ChildContext ctx) throws Exception {
        Gates.pass(gate);
        super.start(ctx);
    }
}
