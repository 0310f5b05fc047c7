package io.processhub.ignite.registry;

import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

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
public final class RegistryDelta implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The node that wrote this batch: its node id. */
    private final UUID writer;
    private final long seq;
    /** The batch's own version: the highest of its changes. */
    private final long version;
    /** When the writer published it: how old a removal is, when compaction decides to forget it. */
    private final long writtenAtMillis;
    /** Puts: {@link ChildSpec}s and {@link ChildRef}s, with their versions. */
    private final Object[] values;
    private final long[] valueVersions;
    /** Removals: logical keys, each with the version it removes up to (inclusive). */
    private final String[] removedKeys;
    private final long[] removedUpTo;

    public RegistryDelta(UUID writer, long seq, long version, long writtenAtMillis, Object[] values, long[] valueVersions,
        String[] removedKeys, long[] removedUpTo) {
        if (values.length != valueVersions.length || removedKeys.length != removedUpTo.length)
            throw new IllegalArgumentException("every change needs its version");
        for (Object v : values)
            if (!(v instanceof ChildSpec) && !(v instanceof ChildRef))
                throw new IllegalArgumentException("a registry value is a ChildSpec or a ChildRef, not " + v);
        this.writer = writer;
        this.seq = seq;
        this.version = version;
        this.writtenAtMillis = writtenAtMillis;
        this.values = values;
        this.valueVersions = valueVersions;
        this.removedKeys = removedKeys;
        this.removedUpTo = removedUpTo;
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
        return values.length + removedKeys.length;
    }

    public List<Object> values() {
        return Arrays.asList(values);
    }

    public long valueVersion(int i) {
        return valueVersions[i];
    }

    public List<String> removedKeys() {
        return Arrays.asList(removedKeys);
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
        StringBuilder b = new StringBuilder("RegistryDelta[writer=").append(writer).append(", seq=").append(seq)
            .append(", puts=").append(values.length).append(", removals=").append(removedKeys.length).append(":");
        for (Object v : values)
            b.append(' ').append(keyOf(v).replace(RegistryKeys.SEPARATOR, '@'));
        for (String k : removedKeys)
            b.append(" -").append(k.replace(RegistryKeys.SEPARATOR, '@'));
        return b.append(']').toString();
    }
}
