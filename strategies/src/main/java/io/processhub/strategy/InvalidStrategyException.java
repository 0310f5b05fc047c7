package io.processhub.strategy;

/** A strategy setting that cannot work; the message names the setting. */
public class InvalidStrategyException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String setting;

    public InvalidStrategyException(String setting, String problem) {
        super(setting + ": " + problem);
        this.setting = setting;
    }

    /** The setting at fault, as {@code Strategy.property}. */
    public String setting() {
        return setting;
    }
}
