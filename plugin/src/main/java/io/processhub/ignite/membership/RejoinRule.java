package io.processhub.ignite.membership;

import java.util.Collection;
import java.util.Collections;

/**
 * Which side of a healed split restarts to join the other: pure, so both sides, each with only its own view,
 * reach opposite answers. Only a side without quorum asks (a side with quorum never restarts); the side that
 * holds fewer of the servers known before the split restarts, and on equal parts the side without the smallest
 * consistent id. So in a split in two, exactly one side moves, also when neither side has quorum (an even split
 * under {@code MajorityQuorum}); the larger side cannot be the one without quorum under the built-in quorums.
 */
public final class RejoinRule {
    private RejoinRule() {
    }

    /**
     * @param side consistent ids of the servers this node sees now, itself included
     * @param former consistent ids of servers known before that this node no longer sees (none of {@code side})
     * @return whether this side should restart and join the former members' cluster
     */
    public static boolean sideRestarts(Collection<String> side, Collection<String> former) {
        if (former.isEmpty())
            return false;
        if (side.size() != former.size())
            return side.size() < former.size();
        return Collections.min(former).compareTo(Collections.min(side)) < 0;
    }
}
