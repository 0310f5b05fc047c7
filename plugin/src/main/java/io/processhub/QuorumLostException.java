package io.processhub;

/**
 * The side of a split this node is on has no quorum (or lost it while the operation was under way), so the
 * operation did not take effect, or may not survive the split: a checkpoint written then is reported failed, never
 * stored, since the instance on the side that stays may already have moved on from the previous one.
 */
public class QuorumLostException extends ProcessHubException {
    private static final long serialVersionUID = 1L;

    public QuorumLostException(String message) {
        super(message);
    }
}
