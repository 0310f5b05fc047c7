package io.processhub;

/** No node of the cluster runs a hub with this id. */
public class UnknownHubException extends ProcessHubException {
    private static final long serialVersionUID = 1L;

    public UnknownHubException(String message) {
        super(message);
    }
}
