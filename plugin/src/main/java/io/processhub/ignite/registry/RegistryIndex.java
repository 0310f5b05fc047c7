package io.processhub.ignite.registry;

import io.processhub.ChildInfo;
import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node's copy of the registry, fed by the registry cache's continuous query: a map read for every
 * lookup. Entries are immutable and replaced on change, so readers never see a half-applied update.
 *
 * <p>Every node keeps an entry per child, so entries are kept compact: values arrive deserialized with copies of
 * their own of the child id, class name, hub id, node name and node id; the index keeps one instance of each
 * (the map key for the child id, a shared instance for the others).
 */
public final class RegistryIndex {
    /** One child: its spec (null until the spec entry arrives) and its replicas. */
    public static final class Entry {
        private static final ChildRef[] NO_REFS = new ChildRef[0];

        /** The child id: the map key, shared by the spec and the refs kept here. */
        public final String id;
        public final ChildSpec spec;
        public final ChildRef[] refs;

        public Entry(String id, ChildSpec spec, ChildRef[] refs) {
            this.id = id;
            this.spec = spec;
            this.refs = refs;
        }

        public ChildRef refOn(UUID nodeId) {
            for (ChildRef r : refs)
                if (r.nodeId().equals(nodeId))
                    return r;
            return null;
        }

        /** The entry as the API shows it, made at the first lookup and kept: entries never change. */
        private ChildInfo info;

        public ChildInfo toInfo() {
            ChildInfo i = info;
            if (i == null)
                info = i = new ChildInfo(spec, Arrays.asList(refs)); // a benign race: every thread builds an equal one
            return i;
        }

        public Entry withSpec(ChildSpec s) {
            return new Entry(id, s, refs);
        }

        public Entry withRef(ChildRef ref) {
            ChildRef[] next;
            int i = indexOf(ref.nodeId());
            if (i >= 0) {
                next = refs.clone();
                next[i] = ref;
            }
            else {
                next = Arrays.copyOf(refs, refs.length + 1);
                next[refs.length] = ref;
            }
            return new Entry(id, spec, next);
        }

        public Entry withoutRef(UUID nodeId) {
            int i = indexOf(nodeId);
            if (i < 0)
                return this;
            ChildRef[] next = new ChildRef[refs.length - 1];
            System.arraycopy(refs, 0, next, 0, i);
            System.arraycopy(refs, i + 1, next, i, refs.length - i - 1);
            return new Entry(id, spec, next);
        }

        private int indexOf(UUID nodeId) {
            for (int i = 0; i < refs.length; i++)
                if (refs[i].nodeId().equals(nodeId))
                    return i;
            return -1;
        }

        public boolean isEmpty() {
            return spec == null && refs.length == 0;
        }
    }

    private final ConcurrentHashMap<String, Entry> children = new ConcurrentHashMap<>();
    /** One instance of each value many entries repeat: hub ids, node names, node ids, class names. */
    private final ConcurrentHashMap<Object, Object> shared = new ConcurrentHashMap<>();

    public Entry get(String childId) {
        return children.get(childId);
    }

    /** Children with a spec, i.e. the ones a user sees. */
    public List<ChildInfo> infos() {
        List<ChildInfo> res = new ArrayList<>(children.size());
        for (Entry e : children.values())
            if (e.spec != null)
                res.add(e.toInfo());
        return res;
    }

    public Set<String> childIds() {
        return children.keySet();
    }

    public int size() {
        return children.size();
    }

    /** Children with a spec, counted now (no allocation): what {@link #infos()} would list. */
    public int specCount() {
        int n = 0;
        for (Entry e : children.values())
            if (e.spec != null)
                n++;
        return n;
    }

    public void putSpec(String childId, ChildSpec spec) {
        children.compute(childId, (k, e) -> e == null ? new Entry(k, compact(k, spec), Entry.NO_REFS) : e.withSpec(compact(e.id, spec)));
    }

    public void removeSpec(String childId) {
        children.computeIfPresent(childId, (k, e) -> {
            Entry next = e.withSpec(null);
            return next.isEmpty() ? null : next;
        });
    }

    /** Adds or replaces a replica; returns the replica it replaced on that node, if any. */
    public ChildRef putRef(String childId, ChildRef ref) {
        ChildRef[] previous = new ChildRef[1];
        children.compute(childId, (k, e) -> {
            if (e == null)
                return new Entry(k, null, new ChildRef[] {compact(k, ref)});
            previous[0] = e.refOn(ref.nodeId());
            return e.withRef(compact(e.id, ref));
        });
        return previous[0];
    }

    /** Removes a replica; returns it, or null if the index did not have it. */
    public ChildRef removeRef(String childId, UUID nodeId) {
        ChildRef[] removed = new ChildRef[1];
        children.computeIfPresent(childId, (k, e) -> {
            removed[0] = e.refOn(nodeId);
            Entry next = e.withoutRef(nodeId);
            return next.isEmpty() ? null : next;
        });
        return removed[0];
    }

    /** What the index holds for a registry key: the spec, the replica's ref, or null. */
    public Object valueOf(String key) {
        Entry e = children.get(RegistryKeys.childIdOf(key));
        if (e == null)
            return null;
        return RegistryKeys.isReplicaKey(key) ? e.refOn(RegistryKeys.nodeIdOf(key)) : e.spec;
    }

    /**
     * Sets the replica on {@code nodeId} to {@code actual} (null: removes it), only if the index still holds exactly
     * the {@code believed} instance there: a change applied meanwhile by the continuous query is newer and wins.
     * Every applied change stores a new instance, so identity cannot be fooled by a value that went and came back.
     *
     * @return whether the index changed
     */
    public boolean correctRef(String childId, UUID nodeId, ChildRef believed, ChildRef actual) {
        boolean[] changed = new boolean[1];
        children.computeIfPresent(childId, (k, e) -> {
            if (e.refOn(nodeId) != believed)
                return e;
            changed[0] = true;
            Entry next = actual == null ? e.withoutRef(nodeId) : e.withRef(compact(e.id, actual));
            return next.isEmpty() ? null : next;
        });
        return changed[0];
    }

    /** Like {@link #correctRef} for the spec. */
    public boolean correctSpec(String childId, ChildSpec believed, ChildSpec actual) {
        boolean[] changed = new boolean[1];
        children.computeIfPresent(childId, (k, e) -> {
            if (e.spec != believed)
                return e;
            changed[0] = true;
            Entry next = e.withSpec(actual == null ? null : compact(e.id, actual));
            return next.isEmpty() ? null : next;
        });
        return changed[0];
    }

    /** The same spec, with the index's child id and the shared class name. */
    private ChildSpec compact(String id, ChildSpec s) {
        if (s.id() == id && s.className() == shared(s.className()))
            return s;
        return ChildSpec.create(id, shared(s.className()), Arrays.asList(s.args()), s.restart(), s.metadata());
    }

    /** The same ref, with the index's child id and shared hub id, node name and node id. */
    private ChildRef compact(String id, ChildRef r) {
        return new ChildRef(shared(r.hubId()), id, shared(r.node()), shared(r.nodeId()), r.incarnation(), r.role());
    }

    @SuppressWarnings("unchecked")
    private <T> T shared(T value) {
        if (value == null)
            return null;
        Object prev = shared.putIfAbsent(value, value);
        return prev == null ? value : (T)prev;
    }

    /** What one applied change did: replicas added or removed, specs removed. */
    public interface ChangeListener {
        public void inserted(ChildRef ref);

        public void removed(ChildRef ref);

        /** The spec entry of a child was removed: it is no longer wanted anywhere. */
        default void specRemoved(String childId) {
        }
    }

    /** Applies one registry cache change ({@code value} null for a removal) and reports replica changes. */
    public void apply(String key, Object value, ChangeListener listener) {
        String childId = RegistryKeys.childIdOf(key);
        if (RegistryKeys.isReplicaKey(key)) {
            if (value == null) {
                ChildRef removed = removeRef(childId, RegistryKeys.nodeIdOf(key));
                if (removed != null)
                    listener.removed(removed);
            }
            else {
                ChildRef ref = (ChildRef)value;
                if (!ref.equals(putRef(childId, ref)))
                    listener.inserted(ref);
            }
        }
        else if (value == null) {
            removeSpec(childId);
            listener.specRemoved(childId);
        }
        else
            putSpec(childId, (ChildSpec)value);
    }
}
