package io.processhub.examples;

import io.processhub.ChildContext;

/**
 * A {@link StatefulCounterChild} that checkpoints its count after every {@code "inc"}: with
 * {@code HubConfiguration.checkpoints} enabled, the count survives a crash of its node (see {@link CheckpointExample}).
 * The checkpoint is asynchronous: {@code handle} does not wait for it.
 */
public class CheckpointingCounterChild extends StatefulCounterChild {
    private ChildContext ctx;

    public CheckpointingCounterChild() {
    }

    @Override
    public void start(ChildContext ctx) {
        super.start(ctx);
        this.ctx = ctx;
    }

    @Override
    public Object handle(Object message) {
        Object answer = super.handle(message);
        if ("inc".equals(message))
            ctx.checkpoint();
        return answer;
    }
}
