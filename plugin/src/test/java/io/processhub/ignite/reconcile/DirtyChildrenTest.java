package io.processhub.ignite.reconcile;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dirty queue: each child once, oldest first, and again once taken. No Ignite. */
class DirtyChildrenTest {
    @Test
    void aChildMarkedTwiceBeforeItIsTakenIsTakenOnceInTheOrderFirstMarked() {
        DirtyChildren dirty = new DirtyChildren();
        dirty.addAll(List.of("a", "b"));
        dirty.addAll(List.of("c", "a"));
        assertEquals(List.of("a", "b", "c"), List.of(dirty.poll(), dirty.poll(), dirty.poll()));
        assertNull(dirty.poll());
        assertTrue(dirty.isEmpty());
    }

    @Test
    void manyChildrenComeOutInTheOrderMarked() {
        DirtyChildren dirty = new DirtyChildren();
        List<String> ids = IntStream.range(0, 1_300).mapToObj(i -> "child-" + i).toList();
        dirty.addAll(ids);
        dirty.addAll(ids.subList(0, 100));
        List<String> taken = new ArrayList<>();
        for (String id = dirty.poll(); id != null; id = dirty.poll())
            taken.add(id);
        assertEquals(ids, taken);
    }

    @Test
    void aChildThatChangesAgainAfterItWasTakenIsQueuedAgain() {
        DirtyChildren dirty = new DirtyChildren();
        dirty.addAll(List.of("a"));
        assertEquals("a", dirty.poll());
        dirty.addAll(List.of("a"));
        assertEquals("a", dirty.poll());
        assertNull(dirty.poll());
    }
}
