package io.processhub;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.ignite.binary.BinaryObjectException;
import org.apache.ignite.binary.BinaryReader;
import org.apache.ignite.binary.BinaryWriter;
import org.apache.ignite.binary.Binarylizable;

/** What the registry knows of one child: its spec (with metadata) and the refs of its running replicas. */
public final class ChildInfo implements Binarylizable {
    private ChildSpec spec;
    private List<ChildRef> refs;

    public ChildInfo(ChildSpec spec, List<ChildRef> refs) {
        this.spec = spec;
        this.refs = List.copyOf(refs);
    }

    public String id() {
        return spec.id();
    }

    public ChildSpec spec() {
        return spec;
    }

    public Map<String, String> metadata() {
        return spec.metadata();
    }

    /** Refs of the running replicas; empty while the child is being (re)started somewhere. */
    public List<ChildRef> refs() {
        return refs;
    }

    /** The active replica, if one is registered. */
    public Optional<ChildRef> activeRef() {
        for (ChildRef r : refs)
            if (r.role() == ReplicaRole.ACTIVE)
                return Optional.of(r);
        return Optional.empty();
    }

    /**
     * The fields {@code spec} and {@code refs} as Ignite writes a plain class (lookup and children replies of
     * {@code ProcessHubService}, read by field in other languages' thin clients), but the refs as a plain collection:
     * Ignite would write the immutable list this object keeps (small, a registry entry caches one) with its
     * Java-serialization fallback, which only Java can read.
     */
    @Override
    public void writeBinary(BinaryWriter writer) throws BinaryObjectException {
        writer.writeObject("spec", spec);
        writer.writeCollection("refs", new ArrayList<>(refs));
    }

    @Override
    public void readBinary(BinaryReader reader) throws BinaryObjectException {
        spec = reader.readObject("spec");
        Collection<ChildRef> read = reader.readCollection("refs");
        refs = read == null ? List.of() : List.copyOf(read);
    }

    @Override
    public String toString() {
        return "ChildInfo[" + spec + ", " + refs + ']';
    }
}
