package io.processhub.strategy;

import java.util.List;

/**
 * Decides how registry drift is looked for: every change reaches every node as it happens; in addition, every
 * {@link #syncIntervalMillis()} a round of anti-entropy compares digests (the last batch applied of each writer)
 * and fetches what a node missed. How the digests are compared is the strategy's: against the registry itself
 * ({@link PubSub}) or with a few peers ({@link Gossip}).
 */
public interface SynchronizationStrategy extends Strategy {
    /** Milliseconds between two anti-entropy rounds on a node. */
    long syncIntervalMillis();

    /** How many peers a node sends its digest to in a round; 0: each node checks its digest against the registry. */
    default int gossipRecipients() {
        return 0;
    }

    /** Whether this node starts a gossip round (the others join when a digest reaches them). */
    default boolean initiatesRound(String localName, List<String> memberNames) {
        return true;
    }
}
