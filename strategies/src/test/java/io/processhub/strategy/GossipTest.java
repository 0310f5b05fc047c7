package io.processhub.strategy;

import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Gossip's settings and who starts a round (ProcessHub: with restrictedInit only the alphabetically first node). */
class GossipTest {
    @Test
    void withRestrictedInitOnlyTheFirstMemberByNameStartsARound() {
        Gossip g = new Gossip();
        List<String> members = List.of("node-b", "node-a", "node-c");
        assertTrue(g.initiatesRound("node-a", members));
        assertFalse(g.initiatesRound("node-b", members));
        g.setRestrictedInit(false);
        assertTrue(g.initiatesRound("node-b", members));
    }

    @Test
    void defaultsAreProcessHubs() {
        Gossip g = new Gossip();
        assertEquals(15_000, g.syncIntervalMillis());
        assertEquals(3, g.gossipRecipients());
        assertTrue(g.isRestrictedInit());
        assertEquals(0, new PubSub().gossipRecipients(), "PubSub checks digests against the registry, not with peers");
    }

    @Test
    void wrongSettingsAreRefusedWithTheirName() {
        Gossip g = new Gossip();
        g.setRecipients(0); // no one to send a digest to
        InvalidStrategyException e = assertThrows(InvalidStrategyException.class, g::validate);
        assertTrue(e.getMessage().contains("Gossip.recipients"), e.getMessage());
        Gossip fast = new Gossip();
        fast.setSyncInterval(5); // below the 10 ms floor
        assertTrue(assertThrows(InvalidStrategyException.class, fast::validate).getMessage().contains("Gossip.syncInterval"));
    }
}
