package io.processhub;

/** A call or cast named a child the registry does not list as running. */
public class NoSuchChildException extends ProcessHubException {
    private static final long serialVersionUID = 1L;

    public NoSuchChildException(String message) {
        super(message);
    }
}
