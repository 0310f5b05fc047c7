package io.processhub;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How to create a child: its cluster-unique id, the class implementing {@link ChildProcess} (by name, so
 * thin clients and XML can name classes they do not load), the constructor arguments, the restart policy
 * and metadata (tags). Arguments travel between nodes through Ignite's marshaller: use plain classes,
 * not records.
 *
 * <p>Instances are immutable; the {@code with*} methods return copies.
 */
public final class ChildSpec implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String id;
    private final String className;
    private final Object[] args;
    private final RestartPolicy restart;
    private final HashMap<String, String> metadata;

    /** Shared by every spec without arguments or metadata (each node's registry copy holds one spec per child). */
    private static final Object[] NO_ARGS = new Object[0];
    private static final HashMap<String, String> NO_METADATA = new HashMap<>();

    private ChildSpec(String id, String className, Object[] args, RestartPolicy restart,
        HashMap<String, String> metadata) {
        this.id = id;
        this.className = className;
        this.args = args == null || args.length == 0 ? NO_ARGS : args;
        this.restart = restart == null ? RestartPolicy.PERMANENT : restart;
        // Never changed in place (metadata() is read-only, withMetadata copies): an empty map can be shared.
        this.metadata = metadata == null || metadata.isEmpty() ? NO_METADATA : metadata;
    }

    /** A permanent child of the given class, created with a constructor taking {@code args}. */
    public static ChildSpec of(String id, Class<? extends ChildProcess> cls, Object... args) {
        Objects.requireNonNull(cls, "child class");
        return new ChildSpec(id, cls.getName(), args == null ? null : args.clone(), null, null);
    }

    /** The same by class name: for callers that do not have the class (thin clients, XML). */
    public static ChildSpec of(String id, String className, Object... args) {
        return new ChildSpec(id, className, args == null ? null : args.clone(), null, null);
    }

    /**
     * The same with the arguments as a list: the form for Spring XML
     * ({@code <bean class="io.processhub.ChildSpec" factory-method="create">} with three constructor-args).
     */
    public static ChildSpec create(String id, String className, List<?> args) {
        return create(id, className, args, RestartPolicy.PERMANENT, Map.of());
    }

    /** Every field at once, for Spring XML. */
    public static ChildSpec create(String id, String className, List<?> args, RestartPolicy restart,
        Map<String, String> metadata) {
        return new ChildSpec(id, className, args == null ? null : args.toArray(), restart,
            metadata == null ? null : new HashMap<>(metadata));
    }

    /** The same spec for another child: a copy under {@code newId} (arguments and metadata are shared, never changed). */
    public ChildSpec withId(String newId) {
        return new ChildSpec(Objects.requireNonNull(newId, "child id"), className, args, restart, metadata);
    }

    public ChildSpec withRestart(RestartPolicy policy) {
        return new ChildSpec(id, className, args, Objects.requireNonNull(policy, "restart policy"), metadata);
    }

    /** A copy with one more metadata entry (a tag). */
    public ChildSpec withMetadata(String key, String value) {
        HashMap<String, String> copy = new HashMap<>(metadata);
        copy.put(key, value);
        return new ChildSpec(id, className, args, restart, copy);
    }

    /** A copy with every entry of {@code extra} added to its metadata (existing keys win). */
    public ChildSpec withMetadataDefaults(Map<String, String> extra) {
        if (extra == null || extra.isEmpty())
            return this;
        HashMap<String, String> copy = new HashMap<>(extra);
        copy.putAll(metadata);
        return new ChildSpec(id, className, args, restart, copy);
    }

    public String id() {
        return id;
    }

    public String className() {
        return className;
    }

    /** A copy of the constructor arguments. */
    public Object[] args() {
        return args.clone();
    }

    Object[] argsNoCopy() {
        return args;
    }

    public RestartPolicy restart() {
        return restart;
    }

    public Map<String, String> metadata() {
        return Collections.unmodifiableMap(metadata);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o)
            return true;
        if (!(o instanceof ChildSpec))
            return false;
        ChildSpec that = (ChildSpec)o;
        return id.equals(that.id) && className.equals(that.className) && Arrays.deepEquals(args, that.args)
            && restart == that.restart && metadata.equals(that.metadata);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, className);
    }

    @Override
    public String toString() {
        return "ChildSpec[" + id + ", " + className + ", " + restart + (metadata.isEmpty() ? "" : ", " + metadata) + ']';
    }
}
