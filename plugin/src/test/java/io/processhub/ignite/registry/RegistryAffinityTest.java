package io.processhub.ignite.registry;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A writer's batches fall in one partition of the registry cache (so they arrive in order); writers spread. */
class RegistryAffinityTest {
    private final RegistryAffinity affinity = new RegistryAffinity();

    @Test
    void aWritersBatchesShareOnePartition() {
        for (int w = 0; w < 100; w++) {
            UUID writer = UUID.randomUUID();
            int first = affinity.partition(RegistryKeys.delta(writer, 1));
            for (long seq = 2; seq < 1_000; seq += 37)
                assertEquals(first, affinity.partition(RegistryKeys.delta(writer, seq)), writer + " seq " + seq);
        }
    }

    @Test
    void writersSpreadOverThePartitions() {
        Set<Integer> used = new HashSet<>();
        for (int i = 0; i < 10_000; i++)
            used.add(affinity.partition(RegistryKeys.delta(UUID.randomUUID(), 1)));
        assertEquals(512, affinity.partitions());
        assertTrue(used.size() > 500, "10,000 writers use " + used.size() + " of 512 partitions");
    }
}
