package io.processhub.examples;

import io.processhub.StatefulChild;

/**
 * A {@link CounterChild} that keeps its count when it moves: with the {@code HotSwap} migration strategy the
 * old instance's {@link #handoverState()} becomes the new instance's {@link #restoreState(Long)}.
 */
public class StatefulCounterChild extends CounterChild implements StatefulChild<Long> {
    public StatefulCounterChild() {
    }

    @Override
    public Long handoverState() {
        return count;
    }

    @Override
    public void restoreState(Long state) {
        count = state;
    }
}
