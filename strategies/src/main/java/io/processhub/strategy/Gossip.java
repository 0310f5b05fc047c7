package io.processhub.strategy;

import java.util.List;

/**
 * ProcessHub's gossip synchronization: every {@link #getSyncInterval() syncInterval} milliseconds a round starts (on
 * the first member by name only, if {@link #isRestrictedInit() restrictedInit}); a node's digest (the last batch it
 * applied of each writer) travels to {@link #getRecipients() recipients} random members not yet reached, each merging
 * its own and fetching whatever the digest shows it missed, until every member was reached; the last ones send the
 * merged digest back to all, so every member ends the round as far as the most advanced one. It reads no digest
 * from the registry: cheaper than {@link PubSub} on large clusters, at the cost of a round trip through the peers.
 */
public class Gossip implements SynchronizationStrategy {
    private static final long serialVersionUID = 1L;

    private long syncInterval = 15_000;
    private int recipients = 3;
    private boolean restrictedInit = true;

    public long getSyncInterval() {
        return syncInterval;
    }

    public void setSyncInterval(long syncInterval) {
        this.syncInterval = syncInterval;
    }

    public int getRecipients() {
        return recipients;
    }

    public void setRecipients(int recipients) {
        this.recipients = recipients;
    }

    public boolean isRestrictedInit() {
        return restrictedInit;
    }

    public void setRestrictedInit(boolean restrictedInit) {
        this.restrictedInit = restrictedInit;
    }

    @Override
    public long syncIntervalMillis() {
        return syncInterval;
    }

    @Override
    public int gossipRecipients() {
        return recipients;
    }

    @Override
    public boolean initiatesRound(String localName, List<String> memberNames) {
        if (!restrictedInit)
            return true;
        String first = null;
        for (String n : memberNames)
            if (first == null || n.compareTo(first) < 0)
                first = n;
        return localName.equals(first);
    }

    @Override
    public void validate() {
        if (syncInterval < 10)
            throw new InvalidStrategyException("Gossip.syncInterval", "must be at least 10 ms, was " + syncInterval);
        if (recipients < 1)
            throw new InvalidStrategyException("Gossip.recipients", "must be at least 1, was " + recipients);
    }
}
