package io.processhub.ignite.supervision.casts;

import java.util.UUID;

/** Where the supervisor reports that a child has every cast of a sender's stream up to a seq (the sender may forget them). */
@FunctionalInterface
public interface CastReceipts {
    CastReceipts NONE = (childId, sender, stream, seq) -> { };

    /** Any thread (the child's mailbox): must not block. */
    void handled(String childId, UUID sender, long stream, long seq);
}
