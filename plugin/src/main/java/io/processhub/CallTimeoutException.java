package io.processhub;

/** A call got no reply within its timeout. The message may or may not have been handled. */
public class CallTimeoutException extends ProcessHubException {
    private static final long serialVersionUID = 1L;

    public CallTimeoutException(String message) {
        super(message);
    }
}
