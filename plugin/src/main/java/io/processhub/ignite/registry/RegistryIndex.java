package io.processhub.ignite.registry;

import io.processhub.ChildInfo;
import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import io.processhub.ReplicaRole;
import io.processhub.RestartPolicy;
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
 * <p>Every node keeps an entry per child, so an entry is one flat object (see {@link Entry}): the child id once (its
 * key in the table), the spec shared with every other child of the same class without arguments or metadata, the first
 * replica's fields inline with its node's identity (hub id, node name, node id) shared by every replica of that node.
 * The {@link ChildSpec}s and {@link ChildRef}s callers see are made from it when asked for.
 */
public final class RegistryIndex {
    /**
     * One child: its spec (none until the spec record arrives) and its replicas, in the order they were registered.
     * Spec and refs are made on each call from the entry's fields; {@link #hasSpec}, {@link #refCount},
     * {@link #nodeIdAt} and {@link #roleAt} read them without making anything.
     */
    public static final class Entry {
        /** The child id: its key in the index's table, also the id of the specs and refs made here. */
        public final String id;
        /**
         * The spec, possibly under another child's id: one instance serves every child of a class without arguments
         * or metadata ({@link #spec()} gives it this child's id). Null: no spec.
         */
        private final ChildSpec spec;
        /** The version of the spec (meaningless without one). */
        final long specVersion;
        /** The first replica, inline (the common case is one): its node, null if the child has no replica. */
        private final Place place;
        private final long incarnation;
        private final ReplicaRole role;
        final long refVersion;
        /** The replicas after the first, or null. */
        private final Replica[] more;

        private Entry(String id, ChildSpec spec, long specVersion, Place place, long incarnation, ReplicaRole role,
            long refVersion, Replica[] more) {
            this.id = id;
            this.spec = spec;
            this.specVersion = specVersion;
            this.place = place;
            this.incarnation = incarnation;
            this.role = role;
            this.refVersion = refVersion;
            this.more = more;
        }

        /** An entry with the given replicas (possibly none). */
        private static Entry of(String id, ChildSpec spec, long specVersion, Replica[] replicas) {
            if (replicas.length == 0)
                return new Entry(id, spec, specVersion, null, 0, null, 0, null);
            Replica first = replicas[0];
            return new Entry(id, spec, specVersion, first.place, first.incarnation, first.role, first.version,
                replicas.length == 1 ? null : Arrays.copyOfRange(replicas, 1, replicas.length));
        }

        public boolean hasSpec() {
            return spec != null;
        }

        /** The child's spec, or null. */
        public ChildSpec spec() {
            return spec == null || spec.id() == id ? spec : spec.withId(id);
        }

        public int refCount() {
            return place == null ? 0 : more == null ? 1 : 1 + more.length;
        }

        /** The node of the i-th replica. */
        public UUID nodeIdAt(int i) {
            return placeAt(i).nodeId;
        }

        public ReplicaRole roleAt(int i) {
            return i == 0 ? role : more[i - 1].role;
        }

        /** The i-th replica's ref. */
        public ChildRef ref(int i) {
            Place p = placeAt(i);
            return new ChildRef(p.hubId, id, p.node, p.nodeId, incarnationAt(i), roleAt(i));
        }

        /** Refs of the replicas, in registration order. */
        public List<ChildRef> refs() {
            int n = refCount();
            if (n == 0)
                return List.of();
            if (n == 1)
                return List.of(ref(0));
            ChildRef[] res = new ChildRef[n];
            for (int i = 0; i < n; i++)
                res[i] = ref(i);
            return List.of(res);
        }

        /** The ref of the replica on that node, or null. */
        public ChildRef refOn(UUID nodeId) {
            int i = indexOf(nodeId);
            return i < 0 ? null : ref(i);
        }

        public boolean hasRefOn(UUID nodeId) {
            return indexOf(nodeId) >= 0;
        }

        /** The entry as the API shows it. */
        public ChildInfo toInfo() {
            return new ChildInfo(spec(), refs());
        }

        public boolean isEmpty() {
            return spec == null && place == null;
        }

        private Place placeAt(int i) {
            return i == 0 ? place : more[i - 1].place;
        }

        private long incarnationAt(int i) {
            return i == 0 ? incarnation : more[i - 1].incarnation;
        }

        long versionAt(int i) {
            return i == 0 ? refVersion : more[i - 1].version;
        }

        /** Whether the i-th replica is this ref (of this child). */
        private boolean isRef(int i, ChildRef r) {
            Place p = placeAt(i);
            return p.nodeId.equals(r.nodeId()) && incarnationAt(i) == r.incarnation() && roleAt(i) == r.role()
                && p.hubId.equals(r.hubId());
        }

        private int indexOf(UUID nodeId) {
            int n = refCount();
            for (int i = 0; i < n; i++)
                if (placeAt(i).nodeId.equals(nodeId))
                    return i;
            return -1;
        }

        private Replica[] replicas() {
            int n = refCount();
            Replica[] res = new Replica[n];
            for (int i = 0; i < n; i++)
                res[i] = i == 0 ? new Replica(place, incarnation, role, refVersion) : more[i - 1];
            return res;
        }

        private Entry withSpec(ChildSpec s, long version) {
            return new Entry(id, s, version, place, incarnation, role, refVersion, more);
        }

        private Entry withRef(Replica r) {
            int i = indexOf(r.place.nodeId);
            Replica[] all = replicas();
            if (i < 0) {
                i = all.length;
                all = Arrays.copyOf(all, i + 1);
            }
            all[i] = r;
            return of(id, spec, specVersion, all);
        }

        private Entry withoutRef(int i) {
            Replica[] all = replicas();
            Replica[] rest = new Replica[all.length - 1];
            System.arraycopy(all, 0, rest, 0, i);
            System.arraycopy(all, i + 1, rest, i, all.length - i - 1);
            return of(id, spec, specVersion, rest);
        }
    }

    /** Where replicas run: one instance per node, shared by all its replicas' entries. */
    private static final class Place {
        final String hubId;
        final String node;
        final UUID nodeId;

        Place(String hubId, String node, UUID nodeId) {
            this.hubId = hubId;
            this.node = node;
            this.nodeId = nodeId;
        }

        boolean holds(ChildRef r) {
            return nodeId.equals(r.nodeId()) && node.equals(r.node()) && hubId.equals(r.hubId());
        }
    }

    /** A replica after an entry's first. */
    private static final class Replica {
        final Place place;
        final long incarnation;
        final ReplicaRole role;
        final long version;

        Replica(Place place, long incarnation, ReplicaRole role, long version) {
            this.place = place;
            this.incarnation = incarnation;
            this.role = role;
            this.version = version;
        }
    }

    /** How long a removal is remembered against older puts still on their way from other writers. */
    private final long tombstoneMillis;

    private final ChildTable<Entry> children = new ChildTable<>(e -> e.id);
    /** One instance of each class name. */
    private final ConcurrentHashMap<String, String> classNames = new ConcurrentHashMap<>();
    /** By class name and restart policy: the spec shared by the children of that class without arguments or metadata. */
    private final ConcurrentHashMap<String, ChildSpec[]> plainSpecs = new ConcurrentHashMap<>();
    /** By node id: the one {@link Place} of that node (kept for every node ever seen: one per node start). */
    private final ConcurrentHashMap<UUID, Place> places = new ConcurrentHashMap<>();
    /** Removed logical keys → the version removed up to; two generations, the older dropped every half period. */
    private HashMap<String, Long> tombstones = new HashMap<>();
    private HashMap<String, Long> olderTombstones = new HashMap<>();
    private long tombstonesRotatedAt = System.currentTimeMillis();
    /**
     * When this node saw each spec removal, by child id, for the reconciler (any thread reads it): forgotten with the
     * tombstones. A removal seen after a replica registered removed its registration on purpose.
     */
    private volatile ConcurrentHashMap<String, Long> specRemovalsSeen = new ConcurrentHashMap<>();
    private volatile ConcurrentHashMap<String, Long> olderSpecRemovalsSeen = new ConcurrentHashMap<>();

    public RegistryIndex() {
        this.tombstoneMillis = RegistryTuning.fromSystemProperties().removalsKeptMillis;
    }

    public Entry get(String childId) {
        return children.get(childId);
    }

    /** Children with a spec, i.e. the ones a user sees. */
    public List<ChildInfo> infos() {
        List<ChildInfo> res = new ArrayList<>(children.size());
        for (Entry e : children.entries())
            if (e.hasSpec())
                res.add(e.toInfo());
        return res;
    }

    public Set<String> childIds() {
        return children.ids();
    }

    public int size() {
        return children.size();
    }

    /** Children with a spec, counted now (no allocation): what {@link #infos()} would list. */
    public int specCount() {
        int n = 0;
        for (Entry e : children.entries())
            if (e.hasSpec())
                n++;
        return n;
    }

    /** The version of the child's spec record here; 0 if there is none. */
    long specVersionOf(String childId) {
        Entry e = children.get(childId);
        return e == null || e.spec == null ? 0 : e.specVersion;
    }

    /** The version of the ref the index holds for this replica, or -1: what a removal of exactly it names. */
    public long versionOf(ChildRef ref) {
        Entry e = children.get(ref.childId());
        if (e == null)
            return -1;
        int i = e.indexOf(ref.nodeId());
        return i >= 0 && e.isRef(i, ref) ? e.versionAt(i) : -1;
    }

    /** Applies a put of a spec or a ref at {@code version}, unless the index holds that key at a newer version. */
    void put(Object value, long version, ChangeListener listener) {
        if ((!tombstones.isEmpty() || !olderTombstones.isEmpty()) && removedAtOrAfter(RegistryDelta.keyOf(value), version))
            return;
        if (value instanceof ChildSpec) {
            ChildSpec spec = (ChildSpec)value;
            Entry e = children.get(spec.id());
            if (e == null)
                children.put(Entry.of(spec.id(), compact(spec.id(), spec), version, NO_REPLICAS));
            else if (e.spec == null || e.specVersion < version)
                children.put(e.withSpec(compact(e.id, spec), version));
            return;
        }
        ChildRef ref = (ChildRef)value;
        Replica replica = new Replica(place(ref), ref.incarnation(), ref.role(), version);
        Entry e = children.get(ref.childId());
        boolean same = false;
        if (e == null)
            children.put(Entry.of(ref.childId(), null, 0, new Replica[] {replica}));
        else {
            int i = e.indexOf(ref.nodeId());
            if (i >= 0 && e.versionAt(i) >= version)
                return;
            same = i >= 0 && e.isRef(i, ref);
            children.put(e.withRef(replica));
        }
        if (!same)
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
            if (newTombstone)
                specRemovalsSeen.put(childId, System.currentTimeMillis());
            Entry e = children.get(childId);
            boolean removed = e != null && e.spec != null && e.specVersion <= upTo;
            if (removed)
                replace(e.withSpec(null, 0), childId);
            // Also when nothing was there: a retirement is over once its removal is seen, even before the spec was
            // (unless the removal is one seen before, replayed by a snapshot).
            Entry now = children.get(childId);
            if (removed || newTombstone && (now == null || !now.hasSpec()))
                listener.specRemoved(childId);
            return;
        }
        UUID nodeId = RegistryKeys.nodeIdOf(key);
        Entry e = children.get(childId);
        int i = e == null ? -1 : e.indexOf(nodeId);
        if (i < 0 || e.versionAt(i) > upTo)
            return;
        ChildRef removed = e.ref(i);
        replace(e.withoutRef(i), childId);
        listener.removed(removed);
    }

    /**
     * Removes the records a writer issued (by the writer bits of their version) at {@code upTo} or older, except the
     * logical keys in {@code kept}: what a node behind a writer's snapshot still holds that the snapshot no longer has.
     */
    void removeWrittenBy(long writerBits, long upTo, Set<String> kept, ChangeListener listener, Set<String> changedChildren) {
        List<String> gone = new ArrayList<>();
        List<Long> versions = new ArrayList<>();
        for (Entry e : children.entries()) {
            if (e.spec != null && VersionClock.writerBitsOf(e.specVersion) == writerBits && e.specVersion <= upTo
                && !kept.contains(e.id)) {
                gone.add(e.id);
                versions.add(e.specVersion);
            }
            for (int i = 0; i < e.refCount(); i++) {
                String key = RegistryKeys.replicaKey(e.id, e.nodeIdAt(i));
                long v = e.versionAt(i);
                if (VersionClock.writerBitsOf(v) == writerBits && v <= upTo && !kept.contains(key)) {
                    gone.add(key);
                    versions.add(v);
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
        for (Entry e : children.entries()) {
            long specBits = VersionClock.writerBitsOf(e.specVersion);
            if (e.spec != null && (specBits == writerBits || adoptedSpecs.test(specBits))) {
                values.put(e.id, e.spec());
                versions.put(e.id, e.specVersion);
            }
            for (int i = 0; i < e.refCount(); i++)
                if (VersionClock.writerBitsOf(e.versionAt(i)) == writerBits) {
                    String key = RegistryKeys.replicaKey(e.id, e.nodeIdAt(i));
                    values.put(key, e.ref(i));
                    versions.put(key, e.versionAt(i));
                }
        }
    }

    /** Puts the changed entry, or removes the child if nothing is left of it. */
    private void replace(Entry next, String childId) {
        if (next.isEmpty())
            children.remove(childId);
        else
            children.put(next);
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
            olderSpecRemovalsSeen = specRemovalsSeen;
            specRemovalsSeen = new ConcurrentHashMap<>();
            tombstonesRotatedAt = now;
        }
    }

    /** When this node last saw the child's spec removed (wall clock), while remembered; 0 if not. Any thread. */
    public long specRemovalSeenAt(String childId) {
        Long at = specRemovalsSeen.get(childId);
        if (at == null)
            at = olderSpecRemovalsSeen.get(childId);
        return at == null ? 0 : at;
    }

    /** The version a key was last removed up to, while remembered. */
    private Long tombstoneOf(String key) {
        Long removed = tombstones.get(key);
        return removed != null ? removed : olderTombstones.get(key);
    }

    /**
     * The spec to keep: for a child without arguments or metadata the one instance shared by its class and restart
     * policy (under the id of the child that brought it first), otherwise the spec with the index's child id and the
     * shared class name.
     */
    private ChildSpec compact(String id, ChildSpec s) {
        String className = classNames.computeIfAbsent(s.className(), c -> c);
        if (s.metadata().isEmpty() && s.args().length == 0) {
            ChildSpec[] byRestart = plainSpecs.computeIfAbsent(className, c -> new ChildSpec[RESTART_POLICIES.length]);
            int r = s.restart().ordinal();
            ChildSpec shared = byRestart[r];
            if (shared == null)
                byRestart[r] = shared = ChildSpec.create(id, className, List.of(), s.restart(), Map.of()); // one applier
            return shared;
        }
        if (s.id() == id && s.className() == className)
            return s;
        return ChildSpec.create(id, className, Arrays.asList(s.args()), s.restart(), s.metadata());
    }

    /** The one instance of the ref's node, hub id and node name. */
    private Place place(ChildRef r) {
        Place p = places.get(r.nodeId());
        if (p != null && p.holds(r))
            return p;
        Place made = new Place(r.hubId(), r.node(), r.nodeId());
        if (p == null)
            places.put(r.nodeId(), made);
        return made;
    }

    private static final RestartPolicy[] RESTART_POLICIES = RestartPolicy.values();
    private static final Replica[] NO_REPLICAS = new Replica[0];

    /** What one applied change did: replicas added or removed, specs removed. */
    public interface ChangeListener {
        public void inserted(ChildRef ref);

        public void removed(ChildRef ref);

        /** The spec of a child was removed: it is no longer wanted anywhere. */
        default void specRemoved(String childId) {
        }
    }
}
