package io.processhub.ignite.registry;

import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import io.processhub.ReplicaRole;
import io.processhub.RestartPolicy;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.ignite.binary.BinaryRawReader;
import org.apache.ignite.binary.BinaryRawWriter;
import org.apache.ignite.binary.BinaryReader;
import org.apache.ignite.binary.BinaryWriter;
import org.apache.ignite.binary.Binarylizable;

/**
 * One batch of one writer's changes: the unit the registry cache stores (under {@link RegistryKeys#delta}) and the
 * continuous query delivers. Written once, never changed; its writer numbers its batches 1, 2, 3, … ({@link #seq}),
 * so a reader that applies them in order notices a missing one at once.
 *
 * <p>A change is a put of a child's spec (the desired state, logical key = child id) or of a replica's ref (logical
 * key = child id + node id, see {@link RegistryKeys#replicaKey}), or a removal of a logical key. Each carries a
 * version ({@link VersionClock}); on every node the highest version of a logical key wins, and a removal at version v
 * removes what is at v or older (a removal of another node's replica names the exact version it saw: it never
 * removes a newer registration). So every node ends with the same registry whatever the order in which different
 * writers' batches reach it.
 */
public final class RegistryDelta implements Serializable, Binarylizable {
    private static final long serialVersionUID = 1L;

    /** The node that wrote this batch: its node id. */
    private UUID writer;
    private long seq;
    /** The batch's own version: the highest of its changes. */
    private long version;
    /** When the writer published it: how old a removal is, when compaction decides to forget it. */
    private long writtenAtMillis;
    /** Puts: {@link ChildSpec}s and {@link ChildRef}s, with their versions. */
    private ArrayList<Object> values;
    private long[] valueVersions;
    /** Removals: logical keys, each with the version it removes up to (inclusive). */
    private ArrayList<String> removedKeys;
    private long[] removedUpTo;
    /**
     * For the batches of a snapshot (a compaction): the writer's batches up to this seq are replaced by the snapshot's
     * batches, {@code replacesUpTo + 1} to {@link #snapshotLast}, which together hold everything of the writer that is
     * still current. 0 for an ordinary batch.
     */
    private long replacesUpTo;
    private long snapshotLast;

    /** An ordinary batch. */
    public RegistryDelta(UUID writer, long seq, long version, long writtenAtMillis, Object[] values, long[] valueVersions,
        String[] removedKeys, long[] removedUpTo) {
        this(writer, seq, version, writtenAtMillis, values, valueVersions, removedKeys, removedUpTo, 0, 0);
    }

    RegistryDelta(UUID writer, long seq, long version, long writtenAtMillis, Object[] values, long[] valueVersions,
        String[] removedKeys, long[] removedUpTo, long replacesUpTo, long snapshotLast) {
        if (values.length != valueVersions.length || removedKeys.length != removedUpTo.length)
            throw new IllegalArgumentException("every change needs its version");
        for (Object v : values)
            if (!(v instanceof ChildSpec) && !(v instanceof ChildRef))
                throw new IllegalArgumentException("a registry value is a ChildSpec or a ChildRef, not " + v);
        this.writer = writer;
        this.seq = seq;
        this.version = version;
        this.writtenAtMillis = writtenAtMillis;
        this.values = new ArrayList<>(Arrays.asList(values));
        this.valueVersions = valueVersions;
        this.removedKeys = new ArrayList<>(Arrays.asList(removedKeys));
        this.removedUpTo = removedUpTo;
        this.replacesUpTo = replacesUpTo;
        this.snapshotLast = snapshotLast;
    }

    /**
     * A compact form: the batch's identity as named fields ({@code control.sh --cache scan} shows them, with the
     * number of puts and removals), its changes as raw data. Ignite's default form of the same lists, with a field
     * lookup and a back-reference entry per object, cost most of a batch's CPU on every node that read it.
     */
    @Override
    public void writeBinary(BinaryWriter w) {
        w.writeUuid("writer", writer);
        w.writeLong("seq", seq);
        w.writeLong("version", version);
        w.writeLong("writtenAtMillis", writtenAtMillis);
        w.writeLong("replacesUpTo", replacesUpTo);
        w.writeLong("snapshotLast", snapshotLast);
        w.writeInt("puts", values.size());
        w.writeInt("removals", removedKeys.size());
        BinaryRawWriter raw = w.rawWriter();
        for (int i = 0; i < values.size(); i++) {
            Object v = values.get(i);
            raw.writeLong(valueVersions[i]);
            if (v instanceof ChildSpec) {
                ChildSpec spec = (ChildSpec)v;
                raw.writeByte((byte)0);
                raw.writeString(spec.id());
                raw.writeString(spec.className());
                raw.writeByte((byte)spec.restart().ordinal());
                Object[] args = spec.args();
                raw.writeObjectArray(args.length == 0 ? null : args);
                raw.writeMap(spec.metadata().isEmpty() ? null : new java.util.HashMap<>(spec.metadata()));
            }
            else {
                ChildRef ref = (ChildRef)v;
                raw.writeByte((byte)1);
                raw.writeString(ref.hubId());
                raw.writeString(ref.childId());
                raw.writeString(ref.node());
                raw.writeUuid(ref.nodeId());
                raw.writeLong(ref.incarnation());
                raw.writeByte((byte)ref.role().ordinal());
            }
        }
        for (int i = 0; i < removedKeys.size(); i++) {
            raw.writeString(removedKeys.get(i));
            raw.writeLong(removedUpTo[i]);
        }
    }

    @Override
    public void readBinary(BinaryReader r) {
        writer = r.readUuid("writer");
        seq = r.readLong("seq");
        version = r.readLong("version");
        writtenAtMillis = r.readLong("writtenAtMillis");
        replacesUpTo = r.readLong("replacesUpTo");
        snapshotLast = r.readLong("snapshotLast");
        int puts = r.readInt("puts");
        int removals = r.readInt("removals");
        BinaryRawReader raw = r.rawReader();
        values = new ArrayList<>(puts);
        valueVersions = new long[puts];
        for (int i = 0; i < puts; i++) {
            valueVersions[i] = raw.readLong();
            if (raw.readByte() == 0) {
                String id = raw.readString();
                String className = raw.readString();
                RestartPolicy restart = RESTART_POLICIES[raw.readByte()];
                Object[] args = raw.readObjectArray();
                Map<String, String> metadata = raw.readMap();
                values.add(ChildSpec.create(id, className, args == null ? null : Arrays.asList(args), restart, metadata));
            }
            else
                values.add(new ChildRef(raw.readString(), raw.readString(), raw.readString(), raw.readUuid(), raw.readLong(),
                    ROLES[raw.readByte()]));
        }
        removedKeys = new ArrayList<>(removals);
        removedUpTo = new long[removals];
        for (int i = 0; i < removals; i++) {
            removedKeys.add(raw.readString());
            removedUpTo[i] = raw.readLong();
        }
    }

    private static final RestartPolicy[] RESTART_POLICIES = RestartPolicy.values();
    private static final ReplicaRole[] ROLES = ReplicaRole.values();

    /** Whether this is the first batch of a snapshot. */
    public boolean startsSnapshot() {
        return replacesUpTo > 0 && seq == replacesUpTo + 1;
    }

    public long replacesUpTo() {
        return replacesUpTo;
    }

    public long snapshotLast() {
        return snapshotLast;
    }

    public UUID writer() {
        return writer;
    }

    public long seq() {
        return seq;
    }

    public long version() {
        return version;
    }

    public long writtenAtMillis() {
        return writtenAtMillis;
    }

    public int size() {
        return values.size() + removedKeys.size();
    }

    public List<Object> values() {
        return Collections.unmodifiableList(values);
    }

    public long valueVersion(int i) {
        return valueVersions[i];
    }

    public List<String> removedKeys() {
        return Collections.unmodifiableList(removedKeys);
    }

    public long removedUpTo(int i) {
        return removedUpTo[i];
    }

    /** The logical key a put writes: the child id for a spec, the replica key for a ref. */
    public static String keyOf(Object value) {
        if (value instanceof ChildSpec)
            return ((ChildSpec)value).id();
        ChildRef r = (ChildRef)value;
        return RegistryKeys.replicaKey(r.childId(), r.nodeId());
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("RegistryDelta[writer=").append(writer).append(", seq=").append(seq);
        if (replacesUpTo > 0)
            b.append(", snapshot replacing up to ").append(replacesUpTo).append(" in ").append(seq).append("..").append(snapshotLast);
        b.append(", puts=").append(values.size()).append(", removals=").append(removedKeys.size()).append(":");
        for (Object v : values)
            b.append(' ').append(keyOf(v).replace(RegistryKeys.SEPARATOR, '@'));
        for (String k : removedKeys)
            b.append(" -").append(k.replace(RegistryKeys.SEPARATOR, '@'));
        return b.append(']').toString();
    }
}
