package io.processhub.ignite.registry;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The index's table without Ignite: a map's behaviour through growth, removals and reuse of slots, and lock-free reads. */
class ChildTableTest {
    /** An entry: its id and a value, so a replacement can be told from the original. */
    private static final class Item {
        final String id;
        final int value;

        Item(String id, int value) {
            this.id = id;
            this.value = value;
        }
    }

    private final ChildTable<Item> table = new ChildTable<>(i -> i.id);

    @Test
    void behavesLikeAMapThroughGrowthRemovalsAndReuse() {
        Map<String, Integer> expected = new HashMap<>();
        java.util.Random random = new java.util.Random(7);
        for (int step = 0; step < 200_000; step++) {
            String id = "c-" + random.nextInt(5_000);
            if (random.nextInt(3) == 0) {
                table.remove(new String(id));
                expected.remove(id);
            }
            else {
                table.put(new Item(new String(id), step));
                expected.put(id, step);
            }
            if (step % 10_000 == 0)
                check(expected);
        }
        check(expected);
        for (String id : new HashSet<>(expected.keySet()))
            table.remove(id);
        expected.clear();
        check(expected);
    }

    private void check(Map<String, Integer> expected) {
        assertEquals(expected.size(), table.size());
        for (Map.Entry<String, Integer> e : expected.entrySet())
            assertEquals(e.getValue(), table.get(e.getKey()).value, e.getKey());
        Set<String> seen = new HashSet<>();
        for (Item i : table.entries())
            assertTrue(seen.add(i.id), "each entry once: " + i.id);
        assertEquals(expected.keySet(), seen);
        assertEquals(expected.keySet(), new HashSet<>(table.ids()));
        assertNull(table.get("absent"));
    }

    @Test
    void readersAlwaysFindAnEntryThatStaysWhileTheWriterChurnsAndRebuilds() throws Exception {
        Item kept = new Item("kept", -1);
        table.put(kept);
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<String> failure = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            while (!done.get())
                if (table.get("kept") != kept)
                    failure.compareAndSet(null, "a present entry was not found");
        });
        reader.start();
        for (int round = 0; round < 20; round++) {
            for (int i = 0; i < 20_000; i++)
                table.put(new Item("c-" + i, round));
            for (int i = 0; i < 20_000; i++)
                table.remove("c-" + i);
        }
        done.set(true);
        reader.join();
        assertNull(failure.get());
        assertSame(kept, table.get("kept"));
        assertEquals(1, table.size());
    }
}
