package io.processhub.hook;

import io.processhub.ProcessHubException;

/** A hook already has a handler with this id. */
public class DuplicateHookIdException extends ProcessHubException {
    private static final long serialVersionUID = 1L;

    public DuplicateHookIdException(String message) {
        super(message);
    }
}
