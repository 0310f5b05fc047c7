package io.processhub.ignite.checkpoint;

/** A checkpoint was refused: a newer one is stored, or a newer instance of the child claimed it. */
public final class StaleCheckpointException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public StaleCheckpointException(String message) {
        super(message);
    }
}
