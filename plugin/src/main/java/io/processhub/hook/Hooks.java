package io.processhub.hook;

import java.util.List;

/** The hook handlers of one hub on one node: {@code hub.hooks()}. */
public interface Hooks {
    /**
     * Adds a handler.
     *
     * @throws DuplicateHookIdException if the hook already has a handler with this id.
     */
    void register(Hook hook, String id, int priority, HookHandler<? extends HubEvent> handler);

    /** Removes a handler; an unknown id is ignored. */
    void cancel(Hook hook, String id);

    /** Ids of the handlers of a hook, in the order they run. */
    List<String> registered(Hook hook);
}
