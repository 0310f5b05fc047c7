package io.processhub.ignite.registry;

import io.processhub.ChildRef;
import io.processhub.ReplicaRole;
import java.util.UUID;
import javax.cache.processor.MutableEntry;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The compare-and-set removal of another node's replica entry: only the exact value seen goes. */
class RemoveIfUnchangedTest {
    private static final UUID NODE = UUID.randomUUID();
    private static final ChildRef SEEN = new ChildRef("hub", "c", "n", NODE, 1, ReplicaRole.ACTIVE);

    @Test
    void removesTheValueSeen() {
        Entry e = new Entry(new ChildRef("hub", "c", "n", NODE, 1, ReplicaRole.ACTIVE)); // equal, not the same instance
        assertTrue(new RemoveIfUnchanged(SEEN).process(e));
        assertNull(e.value);
    }

    @Test
    void keepsANewerRegistrationOfTheOwner() {
        ChildRef restarted = new ChildRef("hub", "c", "n", NODE, 2, ReplicaRole.ACTIVE);
        Entry e = new Entry(restarted);
        assertFalse(new RemoveIfUnchanged(SEEN).process(e));
        assertEquals(restarted, e.value);
        Entry promoted = new Entry(SEEN.withRole(ReplicaRole.PASSIVE));
        assertFalse(new RemoveIfUnchanged(SEEN).process(promoted));
    }

    @Test
    void anAbsentEntryStaysAbsent() {
        Entry e = new Entry(null);
        assertFalse(new RemoveIfUnchanged(SEEN).process(e));
        assertNull(e.value);
    }

    /** A cache entry as an entry processor sees it. */
    private static final class Entry implements MutableEntry<String, Object> {
        private Object value;

        Entry(Object value) {
            this.value = value;
        }

        @Override
        public boolean exists() {
            return value != null;
        }

        @Override
        public void remove() {
            value = null;
        }

        @Override
        public void setValue(Object value) {
            this.value = value;
        }

        @Override
        public String getKey() {
            return "c";
        }

        @Override
        public Object getValue() {
            return value;
        }

        @Override
        public <T> T unwrap(Class<T> clazz) {
            throw new UnsupportedOperationException();
        }
    }
}
