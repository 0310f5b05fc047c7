package io.processhub.ignite.supervision;

import io.processhub.NoSuchChildException;

/**
 * A call reached a replica that is not (or no longer, or not yet) active: the caller's registry copy lagged a role
 * change. The caller sends the call again to the active replica its copy names by then; the user sees this only if
 * no active replica answers within the call's timeout.
 */
public final class NotActiveReplicaException extends NoSuchChildException {
    private static final long serialVersionUID = 1L;

    public NotActiveReplicaException(String message) {
        super(message);
    }
}
