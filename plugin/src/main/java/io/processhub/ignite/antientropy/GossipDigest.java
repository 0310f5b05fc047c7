package io.processhub.ignite.antientropy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A gossip round's message between members: the highest batch seq of each writer that the members reached so far
 * have applied, and who they are. {@code last}: the round is over, sent by a last member to the others; not
 * forwarded. A plain class: Ignite cannot marshal records.
 */
public final class GossipDigest {
    public final HashMap<UUID, Long> digest;
    public final ArrayList<UUID> reached;
    public final boolean last;

    public GossipDigest(Map<UUID, Long> digest, List<UUID> reached, boolean last) {
        this.digest = new HashMap<>(digest);
        this.reached = new ArrayList<>(reached);
        this.last = last;
    }
}
