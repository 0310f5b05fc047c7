package io.processhub.bench;

import io.processhub.ChildContext;
import io.processhub.StatefulChild;
import java.util.concurrent.atomic.LongAdder;

/**
 * The checkpoint benchmark's child: a counter whose state is its count. Messages: {@code "inc"}, {@code "get"},
 * {@code "cp"} (a checkpoint), {@code "inc+cp"} (both), {@code "save:<n>"} (set, then a checkpoint), {@code "stored"}
 * (whether the last checkpoint is stored). Counts, per JVM, the checkpoints stored and the states restored.
 */
public class CheckpointedCounter implements StatefulChild<Long> {
    static final LongAdder STORED = new LongAdder();
    static final LongAdder RESTORED = new LongAdder();

    private ChildContext ctx;
    private long count;
    private volatile boolean stored;

    public CheckpointedCounter() {
    }

    @Override
    public void start(ChildContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Object handle(Object message) {
        String msg = (String)message;
        switch (msg) {
            case "inc":
                return ++count;
            case "get":
                return count;
            case "cp":
                checkpoint();
                return null;
            case "inc+cp":
                ++count;
                checkpoint();
                return count;
            case "stored":
                return stored;
            default:
                if (msg.startsWith("save:")) {
                    count = Long.parseLong(msg.substring(5));
                    checkpoint();
                    return count;
                }
                throw new IllegalArgumentException(msg);
        }
    }

    private void checkpoint() {
        stored = false;
        ctx.checkpoint().thenRun(() -> {
            stored = true;
            STORED.increment();
        });
    }

    @Override
    public Long handoverState() {
        return count;
    }

    @Override
    public void restoreState(Long state) {
        count = state;
        RESTORED.increment();
    }
}
