package io.processhub;

/**
 * A child whose state moves with it under the {@code HotSwap} migration strategy: when its owner changes, or
 * its node leaves gracefully, the old instance's {@link #handoverState()} is given to the new instance's
 * {@link #restoreState(Object)}. The state travels between nodes through Ignite's marshaller: use plain
 * classes (not records). Both run on the child's mailbox, like {@code handle}.
 *
 * <p>With {@code HubConfiguration.checkpoints} enabled, {@link #handoverState()} is also what
 * {@link ChildContext#checkpoint()} stores, and an instance that becomes active without a handed-over state
 * (its previous node crashed) gets the last checkpoint through {@link #restoreState(Object)}. A checkpoint is
 * marshalled when it is taken, so the child may go on changing its state.
 *
 * @param <S> the state type.
 */
public interface StatefulChild<S> extends ChildProcess {
    /**
     * The state to hand to the next instance. Called on the old instance just before it stops, or, with
     * {@code Replication} ACTIVE_PASSIVE, just before an active replica is demoted to passive because another
     * replica takes the active role (the demoted one keeps running as a standby).
     */
    S handoverState();

    /** Takes over the state of the previous instance. Called on the new instance after {@code start}. */
    void restoreState(S state);
}
