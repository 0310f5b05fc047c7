package io.processhub;

/**
 * A drain or undrain ({@link ProcessHub#drain}, {@link ProcessHub#undrain}) that was refused, or a drain that ended
 * without its node emptied. A refused request changed nothing: no node started draining, no child moved.
 */
public class DrainException extends ProcessHubException {
    private static final long serialVersionUID = 1L;

    /** Why. */
    public enum Reason {
        /** No node of the cluster has this consistent id. */
        UNKNOWN_NODE,
        /** The node is a client node: it runs no children, there is nothing to drain. */
        CLIENT_NODE,
        /** The node is a server node that does not run the hub. */
        NOT_A_MEMBER,
        /** Every other member is draining already: the children would have nowhere to go. */
        LAST_NODE,
        /** The hub's distribution is {@code Guided}: its children are pinned to their nodes and never move. */
        GUIDED_DISTRIBUTION,
        /** The node left the cluster before it was emptied (its children moved as for any leave). */
        NODE_LEFT,
        /** The node was undrained before it was emptied. */
        UNDRAINED
    }

    private final Reason reason;

    public DrainException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    /** The form a thin client receives it in: the reason's name, a colon, the explanation. */
    public String toWire() {
        return reason.name() + ": " + getMessage();
    }

    /** The exception {@link #toWire()} describes. */
    public static DrainException fromWire(String wire) {
        int colon = wire == null ? -1 : wire.indexOf(": ");
        if (colon > 0) {
            try {
                return new DrainException(Reason.valueOf(wire.substring(0, colon)), wire.substring(colon + 2));
            }
            catch (IllegalArgumentException unknownReason) {
                // a newer server's reason: keep the whole text
            }
        }
        return new DrainException(null, wire);
    }
}
