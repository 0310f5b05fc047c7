package io.processhub.strategy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConsistentHashingTest {
    private final ConsistentHashing ring = new ConsistentHashing();

    @Test
    void placementDoesNotDependOnMemberOrder() {
        Placement a = ring.placement(List.of("n1", "n2", "n3"));
        Placement b = ring.placement(List.of("n3", "n1", "n2"));
        for (int i = 0; i < 1000; i++)
            assertEquals(a.owner("child-" + i), b.owner("child-" + i));
    }

    @Test
    void childrenSpreadEvenlyOverMembers() {
        Placement p = ring.placement(List.of("n1", "n2", "n3"));
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 30_000; i++)
            counts.merge(p.owner("child-" + i), 1, Integer::sum);
        assertEquals(3, counts.size());
        counts.values().forEach(c -> assertTrue(c > 8_000 && c < 12_000, "unbalanced: " + counts));
    }

    @Test
    void joiningMemberTakesChildrenOnlyFromOthersAndAboutItsShare() {
        Placement before = ring.placement(List.of("n1", "n2", "n3"));
        Placement after = ring.placement(List.of("n1", "n2", "n3", "n4"));
        int moved = 0;
        for (int i = 0; i < 30_000; i++) {
            String id = "child-" + i;
            if (!before.owner(id).equals(after.owner(id))) {
                moved++;
                assertEquals("n4", after.owner(id), "a child moved between two old members");
            }
        }
        double fraction = moved / 30_000.0;
        assertTrue(fraction > 0.15 && fraction < 0.35, "moved fraction " + fraction);
    }

    @Test
    void ownersAreDistinctAndStartWithOwner() {
        Placement p = ring.placement(List.of("n1", "n2", "n3"));
        List<String> owners = p.owners("x", 5);
        assertEquals(3, owners.size());
        assertEquals(p.owner("x"), owners.get(0));
        assertNotEquals(owners.get(0), owners.get(1));
        assertEquals(owners.subList(0, 2), p.owners("x", 2));
    }

    @Test
    void invalidSettingsNameTheSetting() {
        ConsistentHashing bad = new ConsistentHashing();
        bad.setPartitions(0);
        InvalidStrategyException e = assertThrows(InvalidStrategyException.class, bad::validate);
        assertEquals("ConsistentHashing.partitions", e.setting());
        bad.setPartitions(16);
        bad.setVirtualNodes(0);
        assertEquals("ConsistentHashing.virtualNodes",
            assertThrows(InvalidStrategyException.class, bad::validate).setting());
        PubSub sync = new PubSub();
        sync.setSyncInterval(0);
        assertEquals("PubSub.syncInterval", assertThrows(InvalidStrategyException.class, sync::validate).setting());
    }
}
