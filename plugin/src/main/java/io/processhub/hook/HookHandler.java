package io.processhub.hook;

/**
 * Handles the events of one hook. Runs on the hub's hook thread (the alter hook: on the child's mailbox),
 * never on the hub loop or an Ignite thread; a handler that throws is logged and the others still run.
 *
 * @param <E> the hook's event class, {@link Hook#eventType()}.
 */
@FunctionalInterface
public interface HookHandler<E extends HubEvent> {
    void handle(E event) throws Exception;
}
