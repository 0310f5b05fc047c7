package io.processhub.ignite.registry;

import io.processhub.ChildInfo;
import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node's copy of the registry, fed with the writers' batches in order ({@link DeltaApplier}): a map read for
 * every lookup. Entries are immutable and replaced on change, so readers never see a half-applied update.
 *
 * <p>Each logical key (a child's spec, a replica's ref) keeps the highest version applied; a removal leaves a
 * tombstone for a while (between half and all of {@link RegistryTuning#removalsKeptMillis}), so a put older than
 * the removal that arrives after it, from another writer, is dropped. Changes are applied by one thread at a time.
 *
 * <p>Every node keeps an entry per child, so entries are kept compact: values arrive deserialized with copies of
 * their own of the child id, class name, hub id, node name and node id; the index keeps one instance of each
 * (the map key for the child id, a shared instance for the others).
 */
public final class RegistryIndex {
    /** One child: its spec (null until the spec entry arrives) and its replicas. */
    public static final class Entry {
        private static final ChildRef[] NO_REFS = new ChildRef[0];
        private static final long[] NO_VERSIONS = new long[0];

        /** The child id: the map key, shared by the spec and the refs kept here. */
        public final String id;
        public final ChildSpec spec;
        public final ChildRef[] refs;
        /** The version of the spec (meaningless without one) and of each ref, index for index. */
        final long specVersion;
        final long[] refVersions;

        Entry(String id, ChildSpec spec, long specVersion, ChildRef[] refs, long[] refVersions) {
            this.id = id;
            this.spec = spec;
            this.specVersion = specVersion;
            this.refs = refs;
            this.refVersions = refVersions;
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

        Entry withSpec(ChildSpec s, long version) {
            return new Entry(id, s, version, refs, refVersions);
        }

        Entry withRef(ChildRef ref, long version) {
            int i = indexOf(ref.nodeId());
            ChildRef[] next;
            long[] versions;
            if (i >= 0) {
                next = refs.clone();
                versions = refVersions.clone();
            }
            else {
                i = refs.length;
                next = Arrays.copyOf(refs, i + 1);
                versions = Arrays.copyOf(refVersions, i + 1);
            }
            next[i] = ref;
            versions[i] = version;
            return new Entry(id, spec, specVersion, next, versions);
        }

        Entry withoutRef(int i) {
            ChildRef[] next = new ChildRef[refs.length - 1];
            long[] versions = new long[refs.length - 1];
            System.arraycopy(refs, 0, next, 0, i);
            System.arraycopy(refs, i + 1, next, i, refs.length - i - 1);
            System.arraycopy(refVersions, 0, versions, 0, i);
            System.arraycopy(refVersions, i + 1, versions, i, refs.length - i - 1);
            return new Entry(id, spec, specVersion, next, versions);
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

    /** How long a removal is remembered against older puts still on their way from other writers. */
    private final long tombstoneMillis;

    private final ConcurrentHashMap<String, Entry> children = new ConcurrentHashMap<>();
    /** One instance of each value many entries repeat: hub ids, node names, node ids, class names. */
    private final ConcurrentHashMap<Object, Object> shared = new ConcurrentHashMap<>();
    /** Removed logical keys → the version removed up to; two generations, the older dropped every half period. */
    private HashMap<String, Long> tombstones = new HashMap<>();
    private HashMap<String, Long> olderTombstones = new HashMap<>();
    private long tombstonesRotatedAt = System.currentTimeMillis();

    public RegistryIndex() {
        this.tombstoneMillis = RegistryTuning.fromSystemProperties().removalsKeptMillis;
    }

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

    /** The version of the ref the index holds for this replica, or -1: what a removal of exactly it names. */
    public long versionOf(ChildRef ref) {
        Entry e = children.get(ref.childId());
        if (e == null)
            return -1;
        int i = e.indexOf(ref.nodeId());
        return i >= 0 && e.refs[i].equals(ref) ? e.refVersions[i] : -1;
    }

    /** Applies a put of a spec or a ref at {@code version}, unless the index holds that key at a newer version. */
    void put(Object value, long version, ChangeListener listener) {
        if ((!tombstones.isEmpty() || !olderTombstones.isEmpty()) && removedAtOrAfter(RegistryDelta.keyOf(value), version))
            return;
        if (value instanceof ChildSpec) {
            ChildSpec spec = (ChildSpec)value;
            children.compute(spec.id(), (k, e) -> {
                if (e == null)
                    return new Entry(k, compact(k, spec), version, Entry.NO_REFS, Entry.NO_VERSIONS);
                return e.spec != null && e.specVersion >= version ? e : e.withSpec(compact(e.id, spec), version);
            });
            return;
        }
        ChildRef ref = (ChildRef)value;
        ChildRef[] replaced = new ChildRef[1];
        boolean[] applied = new boolean[1];
        children.compute(ref.childId(), (k, e) -> {
            if (e == null) {
                applied[0] = true;
                return new Entry(k, null, 0, new ChildRef[] {compact(k, ref)}, new long[] {version});
            }
            int i = e.indexOf(ref.nodeId());
            if (i >= 0 && e.refVersions[i] >= version)
                return e;
            applied[0] = true;
            replaced[0] = i >= 0 ? e.refs[i] : null;
            return e.withRef(compact(e.id, ref), version);
        });
        if (applied[0] && !ref.equals(replaced[0]))
            listener.inserted(ref);
    }

    /** Applies a removal of a logical key: whatever the index holds there at {@code upTo} or older goes. */
    void remove(String key, long upTo, ChangeListener listener) {
        Long known = tombstoneOf(key);
        boolean newTombstone = known == null || known < upTo;
        if (newTombstone)
            tombstones.put(key, upTo);
        String childId = RegistryKeys.childIdOf(key);
        if (!RegistryKeys.isReplicaKey(key)) {
            boolean[] removed = new boolean[1];
            children.computeIfPresent(childId, (k, e) -> {
                if (e.spec == null || e.specVersion > upTo)
                    return e;
                removed[0] = true;
                Entry next = e.withSpec(null, 0);
                return next.isEmpty() ? null : next;
            });
            // Also when nothing was there: a retirement is over once its removal is seen, even before the spec was
            // (unless the removal is one seen before, replayed by a snapshot).
            Entry now = children.get(childId);
            if (removed[0] || newTombstone && (now == null || now.spec == null))
                listener.specRemoved(childId);
            return;
        }
        UUID nodeId = RegistryKeys.nodeIdOf(key);
        ChildRef[] removed = new ChildRef[1];
        children.computeIfPresent(childId, (k, e) -> {
            int i = e.indexOf(nodeId);
            if (i < 0 || e.refVersions[i] > upTo)
                return e;
            removed[0] = e.refs[i];
            Entry next = e.withoutRef(i);
            return next.isEmpty() ? null : next;
        });
        if (removed[0] != null)
            listener.removed(removed[0]);
    }

    /**
     * Removes the records a writer issued (by the writer bits of their version) at {@code upTo} or older, except the
     * logical keys in {@code kept}: what a node behind a writer's snapshot still holds that the snapshot no longer has.
     */
    void removeWrittenBy(long writerBits, long upTo, Set<String> kept, ChangeListener listener, Set<String> changedChildren) {
        List<String> gone = new ArrayList<>();
        List<Long> versions = new ArrayList<>();
        for (Entry e : children.values()) {
            if (e.spec != null && VersionClock.writerBitsOf(e.specVersion) == writerBits && e.specVersion <= upTo
                && !kept.contains(e.id)) {
                gone.add(e.id);
                versions.add(e.specVersion);
            }
            for (int i = 0; i < e.refs.length; i++) {
                String key = RegistryKeys.replicaKey(e.id, e.refs[i].nodeId());
                if (VersionClock.writerBitsOf(e.refVersions[i]) == writerBits && e.refVersions[i] <= upTo && !kept.contains(key)) {
                    gone.add(key);
                    versions.add(e.refVersions[i]);
                }
            }
        }
        for (int i = 0; i < gone.size(); i++) {
            remove(gone.get(i), versions.get(i), listener);
            changedChildren.add(RegistryKeys.childIdOf(gone.get(i)));
        }
    }

    /**
     * What a writer's snapshot re-publishes: the records whose version carries its writer bits, and the specs whose
     * version carries bits {@code adoptedSpecs} accepts (on the oldest member: those of departed writers, whose
     * refs are going away with their nodes). Key → value, and key → version.
     */
    void writtenBy(long writerBits, java.util.function.LongPredicate adoptedSpecs, Map<String, Object> values, Map<String, Long> versions) {
        for (Entry e : children.values()) {
            long specBits = VersionClock.writerBitsOf(e.specVersion);
            if (e.spec != null && (specBits == writerBits || adoptedSpecs.test(specBits))) {
                values.put(e.id, e.spec);
                versions.put(e.id, e.specVersion);
            }
            for (int i = 0; i < e.refs.length; i++)
                if (VersionClock.writerBitsOf(e.refVersions[i]) == writerBits) {
                    String key = RegistryKeys.replicaKey(e.id, e.refs[i].nodeId());
                    values.put(key, e.refs[i]);
                    versions.put(key, e.refVersions[i]);
                }
        }
    }

    private boolean removedAtOrAfter(String key, long version) {
        Long removed = tombstoneOf(key);
        return removed != null && removed >= version;
    }

    /** Forgets the older generation of removals once it is old enough. Once per applied batch. */
    void forgetOldRemovals(long now) {
        if (now - tombstonesRotatedAt >= tombstoneMillis / 2) {
            olderTombstones = tombstones;
            tombstones = new HashMap<>();
            tombstonesRotatedAt = now;
        }
    }

    /** The version a key was last removed up to, while remembered. */
    private Long tombstoneOf(String key) {
        Long removed = tombstones.get(key);
        return removed != null ? removed : olderTombstones.get(key);
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

        /** The spec of a child was removed: it is no longer wanted anywhere. */
        default void specRemoved(String childId) {
        }
    }
}
