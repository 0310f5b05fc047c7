package io.processhub.client;

import io.processhub.ChildSpec;
import io.processhub.RestartPolicy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.ignite.binary.BinaryObjectException;
import org.apache.ignite.binary.BinaryRawReader;
import org.apache.ignite.binary.BinaryRawWriter;
import org.apache.ignite.binary.BinaryReader;
import org.apache.ignite.binary.BinaryWriter;
import org.apache.ignite.binary.Binarylizable;

/**
 * The specs of one start request in the compact form of {@link ProcessHubService#startBatch}: named fields
 * {@code format} (int, {@link #FORMAT}), {@code count} (int, the number of specs) and {@code classes} (int, the number
 * of distinct class names), then as raw data the class names ({@code classes} strings), then for each spec in order:
 * <pre>
 *   byte     1 = a spec follows, 0 = a null spec (the server answers it as an INVALID_SPEC error)
 *   string   child id (may be null: an INVALID_SPEC error)
 *   int      class name: its index in the class names, -1 for none (an INVALID_SPEC error)
 *   byte     restart policy: 0 PERMANENT, 1 TRANSIENT, 2 TEMPORARY
 *   object[] constructor arguments, null for none
 *   map      metadata, string to string, null for none
 * </pre>
 * Ignite's default form of a {@code List<ChildSpec>} writes every spec as an object of its own (schema, field
 * lookups, a handle per object), and a thin client's service request reads its arguments twice (once detached,
 * then deserialized): at 10,000 specs that was most of the thin client's start cost. A batch names few classes, so
 * each is written once.
 *
 * <p>A server that cannot read a batch (another format, a wrong restart code, truncated data) does not fail the
 * request inside Ignite: the batch keeps the problem, and the request answers {@link ServiceReply.Failure#BAD_ARGUMENT}
 * with it.
 */
public final class SpecBatch implements Binarylizable {
    /** The layout described above. */
    public static final int FORMAT = 1;
    private static final RestartPolicy[] RESTART = {RestartPolicy.PERMANENT, RestartPolicy.TRANSIENT, RestartPolicy.TEMPORARY};

    private int format;
    private List<ChildSpec> specs;
    /** Why the batch read from the wire cannot be used; null if it can. */
    private String problem;

    /** A batch of these specs (null elements allowed: they come back as INVALID_SPEC errors). */
    public SpecBatch(List<ChildSpec> specs) {
        this(FORMAT, specs);
    }

    /** A batch that says it has another format: for tests of a server's answer to one it cannot read. */
    SpecBatch(int format, List<ChildSpec> specs) {
        this.format = format;
        this.specs = specs;
    }

    /**
     * The specs.
     *
     * @throws IllegalArgumentException if this batch was read from the wire and could not be read (the message says why).
     */
    public List<ChildSpec> specs() {
        if (problem != null)
            throw new IllegalArgumentException("unreadable batch of child specs: " + problem);
        return Collections.unmodifiableList(specs);
    }

    @Override
    public void writeBinary(BinaryWriter writer) throws BinaryObjectException {
        // Class names in order of first use, each spec's index into them.
        LinkedHashMap<String, Integer> classes = new LinkedHashMap<>();
        int[] classOf = new int[specs.size()];
        for (int i = 0; i < specs.size(); i++) {
            ChildSpec spec = specs.get(i);
            String cls = spec == null ? null : spec.className();
            classOf[i] = cls == null ? -1 : classes.computeIfAbsent(cls, c -> classes.size());
        }
        writer.writeInt("format", format);
        writer.writeInt("count", specs.size());
        writer.writeInt("classes", classes.size());
        BinaryRawWriter raw = writer.rawWriter();
        for (String cls : classes.keySet())
            raw.writeString(cls);
        for (int i = 0; i < specs.size(); i++) {
            ChildSpec spec = specs.get(i);
            if (spec == null) {
                raw.writeByte((byte)0);
                continue;
            }
            raw.writeByte((byte)1);
            raw.writeString(spec.id());
            raw.writeInt(classOf[i]);
            raw.writeByte(restartCode(spec.restart()));
            Object[] args = spec.args();
            raw.writeObjectArray(args.length == 0 ? null : args);
            raw.writeMap(spec.metadata().isEmpty() ? null : new HashMap<>(spec.metadata()));
        }
    }

    private static byte restartCode(RestartPolicy policy) {
        for (byte code = 0; code < RESTART.length; code++)
            if (RESTART[code] == policy)
                return code;
        throw new IllegalArgumentException("no wire code for restart policy " + policy);
    }

    @Override
    public void readBinary(BinaryReader reader) throws BinaryObjectException {
        try {
            format = reader.readInt("format");
            if (format != FORMAT) {
                problem = "format " + format + ", this server reads format " + FORMAT;
                return;
            }
            int count = reader.readInt("count");
            if (count < 0) {
                problem = "a negative count of specs (" + count + ")";
                return;
            }
            int classCount = reader.readInt("classes");
            if (classCount < 0 || classCount > count) {
                problem = classCount + " class names for " + count + " specs";
                return;
            }
            BinaryRawReader raw = reader.rawReader();
            List<String> classes = new ArrayList<>(Math.min(classCount, 1 << 10));
            for (int i = 0; i < classCount; i++)
                classes.add(raw.readString());
            specs = new ArrayList<>(Math.min(count, 1 << 16));
            for (int i = 0; i < count && problem == null; i++)
                specs.add(readSpec(raw, i, classes));
        }
        catch (RuntimeException e) {
            // Truncated or foreign data: Ignite positions its reader after this object whatever was read here.
            problem = "malformed data (" + e + ")";
        }
    }

    private ChildSpec readSpec(BinaryRawReader raw, int i, List<String> classes) {
        byte present = raw.readByte();
        if (present == 0)
            return null;
        if (present != 1) {
            problem = "spec " + i + " starts with " + present + ", not 0 (null) or 1";
            return null;
        }
        String id = raw.readString();
        int classIndex = raw.readInt();
        if (classIndex < -1 || classIndex >= classes.size()) {
            problem = "spec " + i + " (" + id + ") names class " + classIndex + " of " + classes.size();
            return null;
        }
        String className = classIndex < 0 ? null : classes.get(classIndex);
        byte restart = raw.readByte();
        if (restart < 0 || restart >= RESTART.length) {
            problem = "spec " + i + " (" + id + ") has restart policy code " + restart + ", not 0, 1 or 2";
            return null;
        }
        Object[] args = raw.readObjectArray();
        Map<Object, Object> metadata = raw.readMap();
        if (metadata != null)
            for (Map.Entry<Object, Object> e : metadata.entrySet())
                if (!(e.getKey() instanceof String) || !(e.getValue() instanceof String)) {
                    problem = "spec " + i + " (" + id + ") has metadata that is not string to string: " + e;
                    return null;
                }
        @SuppressWarnings({"unchecked", "rawtypes"})
        Map<String, String> strings = (Map)metadata;
        return ChildSpec.create(id, className, args == null ? null : Arrays.asList(args), RESTART[restart], strings);
    }

    @Override
    public String toString() {
        return problem != null ? "SpecBatch[unreadable: " + problem + ']' : "SpecBatch[" + specs.size() + " specs]";
    }
}
