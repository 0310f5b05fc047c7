package io.processhub;

/** The child's {@code handle} threw while handling a call; the child is restarted by its supervisor. */
public class ChildCallException extends ProcessHubException {
    private static final long serialVersionUID = 1L;

    public ChildCallException(String message) {
        super(message);
    }
}
