package io.processhub;

/** Base of every error the ProcessHub API throws or completes a future with. */
public class ProcessHubException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ProcessHubException(String message) {
        super(message);
    }

    public ProcessHubException(String message, Throwable cause) {
        super(message, cause);
    }
}
