package io.processhub.ignite.registry;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A child's spec and replica entries fall in one partition of the registry cache; children still spread. */
class RegistryAffinityTest {
    private final RegistryAffinity affinity = new RegistryAffinity();

    @Test
    void aChildsSpecAndReplicasShareItsPartition() {
        for (int i = 0; i < 1_000; i++) {
            String id = "child-" + i;
            int spec = affinity.partition(id);
            for (int n = 0; n < 3; n++)
                assertEquals(spec, affinity.partition(RegistryKeys.replicaKey(id, UUID.randomUUID())), id);
        }
    }

    @Test
    void childrenSpreadOverThePartitionsAsBefore() {
        Set<Integer> used = new HashSet<>();
        for (int i = 0; i < 10_000; i++)
            used.add(affinity.partition("child-" + i));
        assertEquals(512, affinity.partitions());
        assertTrue(used.size() > 500, "10,000 children use " + used.size() + " of 512 partitions");
    }
}
