package io.processhub;

/**
 * A call or cast was refused because the child's mailbox already holds as many messages as it may: the child
 * handles messages more slowly than they arrive. Nothing was queued; retry later or send less.
 */
public class MailboxFullException extends ProcessHubException {
    private static final long serialVersionUID = 1L;

    public MailboxFullException(String message) {
        super(message);
    }
}
