package io.processhub.ignite.registry;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * The index's entries by child id: an open-addressing hash table (linear probing) whose slots hold the entries
 * themselves, keyed by their own {@code id}. A {@code ConcurrentHashMap} would add a node of 32 B per child to every
 * node's copy of the registry; here a child costs its slot (4–11 B) and nothing else.
 *
 * <p>One writer at a time (the index's applier; the mutators are synchronized so a second one waits), readers from any
 * thread without a lock: a slot is written with release and read with acquire semantics, so a reader sees a whole
 * entry (entries are immutable) that was current at some moment during its read. A removed entry's slot holds
 * {@link #GONE} until the table is rebuilt, so a reader's probe goes on past it. A rebuild fills a new array and
 * publishes it through a volatile field; readers still on the old one read a frozen, consistent table.
 */
final class ChildTable<E> {
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);
    /** What a removal leaves in its slot. */
    private static final Object GONE = new Object();
    private static final int MIN_CAPACITY = 16;

    private final Function<E, String> idOf;
    private volatile Object[] slots = new Object[MIN_CAPACITY];
    private volatile int size;
    /** Slots holding an entry or {@link #GONE}: probes end at an empty one, so there must always be some. */
    private int used;

    ChildTable(Function<E, String> idOf) {
        this.idOf = idOf;
    }

    private static int slotOf(String id, int mask) {
        int h = id.hashCode() * 0x9E3779B9; // spread: ids differing only in their last characters are the common case
        return (h ^ h >>> 16) & mask;
    }

    @SuppressWarnings("unchecked")
    E get(String id) {
        Object[] t = slots;
        int mask = t.length - 1;
        for (int i = slotOf(id, mask); ; i = i + 1 & mask) {
            Object o = SLOT.getAcquire(t, i);
            if (o == null)
                return null;
            if (o != GONE) {
                String k = idOf.apply((E)o);
                if (k == id || k.hashCode() == id.hashCode() && k.equals(id))
                    return (E)o;
            }
        }
    }

    int size() {
        return size;
    }

    /** Puts the entry in place of the one with its id, if any. */
    @SuppressWarnings("unchecked")
    synchronized void put(E e) {
        String id = idOf.apply(e);
        Object[] t = slots;
        int mask = t.length - 1;
        int free = -1;
        for (int i = slotOf(id, mask); ; i = i + 1 & mask) {
            Object o = t[i];
            if (o == null) {
                if (free < 0) {
                    free = i;
                    used++;
                }
                SLOT.setRelease(t, free, e);
                size++;
                if (used > t.length - (t.length >>> 2))
                    rebuild();
                return;
            }
            if (o == GONE) {
                if (free < 0)
                    free = i;
            }
            else if (idOf.apply((E)o).equals(id)) {
                SLOT.setRelease(t, i, e);
                return;
            }
        }
    }

    @SuppressWarnings("unchecked")
    synchronized void remove(String id) {
        Object[] t = slots;
        int mask = t.length - 1;
        for (int i = slotOf(id, mask); ; i = i + 1 & mask) {
            Object o = t[i];
            if (o == null)
                return;
            if (o != GONE && idOf.apply((E)o).equals(id)) {
                SLOT.setRelease(t, i, GONE);
                size--;
                if (size < used >>> 1 && t.length > MIN_CAPACITY)
                    rebuild(); // mostly removals: reclaim the slots (and shrink the array if it is mostly empty)
                return;
            }
        }
    }

    /** A new array for the live entries, at most half full, then published. The next one when 3/4 are used. */
    @SuppressWarnings("unchecked")
    private void rebuild() {
        int capacity = MIN_CAPACITY;
        while (capacity / 2 < size)
            capacity <<= 1;
        Object[] old = slots;
        Object[] t = new Object[capacity];
        int mask = capacity - 1;
        for (Object o : old)
            if (o != null && o != GONE) {
                int i = slotOf(idOf.apply((E)o), mask);
                while (t[i] != null)
                    i = i + 1 & mask;
                t[i] = o;
            }
        used = size;
        slots = t; // volatile: publishes the filled array
    }

    /** The entries, weakly consistent: each live for the whole iteration is seen once; others may or may not be. */
    Iterable<E> entries() {
        return () -> new Iterator<E>() {
            private final Object[] t = slots;
            private int at = -1;
            private Object next = advance();

            private Object advance() {
                while (++at < t.length) {
                    Object o = SLOT.getAcquire(t, at);
                    if (o != null && o != GONE)
                        return o;
                }
                return null;
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            @SuppressWarnings("unchecked")
            public E next() {
                Object o = next;
                if (o == null)
                    throw new NoSuchElementException();
                next = advance();
                return (E)o;
            }
        };
    }

    /** The ids of {@link #entries()}, as a read-only set. */
    java.util.Set<String> ids() {
        return new AbstractSet<>() {
            @Override
            public Iterator<String> iterator() {
                Iterator<E> it = entries().iterator();
                return new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return it.hasNext();
                    }

                    @Override
                    public String next() {
                        return idOf.apply(it.next());
                    }
                };
            }

            @Override
            public boolean contains(Object o) {
                return o instanceof String && get((String)o) != null;
            }

            @Override
            public int size() {
                return ChildTable.this.size();
            }
        };
    }
}
