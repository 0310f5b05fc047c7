package io.processhub;

/** A hub configuration that cannot work; the node refuses to start. The message names the setting. */
public class InvalidConfigurationException extends ProcessHubException {
    private static final long serialVersionUID = 1L;

    public InvalidConfigurationException(String message) {
        super(message);
    }
}
