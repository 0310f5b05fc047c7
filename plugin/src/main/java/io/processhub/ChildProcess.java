package io.processhub;

/**
 * A long-lived worker managed by a hub. The hub creates it from its {@link ChildSpec} (a public constructor
 * matching the spec's arguments), calls {@link #start(ChildContext)}, delivers messages to
 * {@link #handle(Object)} one at a time, and calls {@link #stop(StopReason)} when it stops it. All three
 * run on a shared pool, never concurrently for one child: a child needs no locks for its own state.
 *
 * <p>A child that throws from {@code start} or {@code handle}, or reports {@link ChildContext#fail(Throwable)},
 * has crashed: its supervisor creates a fresh instance and starts it again, subject to the restart policy
 * and the hub's restart intensity.
 */
public interface ChildProcess {
    /** Called once per instance before any message. Throwing fails the start (or the restart). */
    void start(ChildContext ctx) throws Exception;

    /**
     * Handles one message sent with {@link ProcessHub#call} (the return value is the reply) or
     * {@link ProcessHub#cast} (the return value is dropped). The default rejects every message.
     */
    default Object handle(Object message) throws Exception {
        throw new UnsupportedOperationException(getClass().getName() + " does not handle messages");
    }

    /** Called once when the child is stopped for a reason other than a crash. Exceptions are logged. */
    default void stop(StopReason reason) {
    }
}
