package io.processhub.ignite.checkpoint;

/**
 * A claim of a child's checkpoint refused because the store holds a checkpoint the claimant's state does not include
 * (another instance wrote it since the claimant's state was taken). Carries that checkpoint, for the claimant to
 * restore before it claims again.
 */
public final class ClaimRefusedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** The newer checkpoint stored. Not serialized: the exception never leaves the node. */
    public final transient StoredCheckpoint stored;

    public ClaimRefusedException(String message, StoredCheckpoint stored) {
        super(message);
        this.stored = stored;
    }
}
