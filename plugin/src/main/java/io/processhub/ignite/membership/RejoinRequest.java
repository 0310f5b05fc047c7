package io.processhub.ignite.membership;

import java.io.Serializable;

/**
 * The plugin's discovery data of a node that restarts to rejoin after a split: the coordinator refuses it if its
 * own side lacks quorum, so that a rejoining node never joins another side without quorum (a restarted node's
 * fresh quorum could take the verdict "quorum" there and run children the other side runs too).
 */
public final class RejoinRequest implements Serializable {
    private static final long serialVersionUID = 1L;
}
