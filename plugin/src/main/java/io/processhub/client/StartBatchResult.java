package io.processhub.client;

import io.processhub.ChildError;
import io.processhub.ChildRef;
import io.processhub.ProcessHubException;
import io.processhub.ReplicaRole;
import io.processhub.StartResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.apache.ignite.binary.BinaryObjectException;
import org.apache.ignite.binary.BinaryRawReader;
import org.apache.ignite.binary.BinaryRawWriter;
import org.apache.ignite.binary.BinaryReader;
import org.apache.ignite.binary.BinaryWriter;
import org.apache.ignite.binary.Binarylizable;

/**
 * A {@link StartResult} in the compact form {@link ProcessHubService#startBatch} answers: named fields {@code format}
 * (int, {@link #FORMAT}), {@code rolledBack} (boolean), {@code nodes}, {@code started} and {@code errors} (ints, the
 * counts), then as raw data:
 * <pre>
 *   nodes times:    string hub id, string node consistent id, uuid node id      (the table the refs point into)
 *   started times:  string child id, int index into the node table, long incarnation, byte role (0 ACTIVE, 1 PASSIVE)
 *   errors times:   string child id, string node, string reason (a ChildError.Reason name), string detail,
 *                   byte 1 if the running ref follows (ALREADY_STARTED), else 0;
 *                   the ref: string hub id, string child id, string node, uuid node id, long incarnation, byte role
 * </pre>
 * Every started ref of a batch has the same hub and one of a few nodes: the table writes those once instead of
 * three strings and a UUID per child, and the refs are raw data instead of one binary object each.
 *
 * <p>A client that cannot read a reply (another format, an unknown role or reason) gets a
 * {@link ProcessHubException} saying why from {@link #toStartResult()}.
 */
public final class StartBatchResult implements Binarylizable {
    /** The layout described above. */
    public static final int FORMAT = 1;
    private static final ReplicaRole[] ROLES = {ReplicaRole.ACTIVE, ReplicaRole.PASSIVE};

    private int format;
    private StartResult result;
    /** Why the reply read from the wire cannot be used; null if it can. */
    private String problem;

    /** The compact form of a hub's start result. */
    public StartBatchResult(StartResult result) {
        this(FORMAT, result);
    }

    /** A reply that says it has another format: for tests of a client's answer to one it cannot read. */
    StartBatchResult(int format, StartResult result) {
        this.format = format;
        this.result = Objects.requireNonNull(result, "result");
    }

    /**
     * The start result.
     *
     * @throws ProcessHubException if this reply was read from the wire and could not be read (the message says why).
     */
    public StartResult toStartResult() {
        if (problem != null)
            throw new ProcessHubException("unreadable start reply from the server: " + problem);
        return result;
    }

    @Override
    public void writeBinary(BinaryWriter writer) throws BinaryObjectException {
        List<ChildRef> started = result.started();
        List<ChildError> errors = result.errors();
        // The node table: a ref's index is that of the last entry added for its node id with the same hub and name.
        List<ChildRef> table = new ArrayList<>();
        HashMap<UUID, Integer> byNode = new HashMap<>();
        int[] tableIndex = new int[started.size()];
        for (int i = 0; i < started.size(); i++) {
            ChildRef r = started.get(i);
            Integer at = byNode.get(r.nodeId());
            if (at == null || !sameNode(table.get(at), r)) {
                at = table.size();
                table.add(r);
                byNode.put(r.nodeId(), at);
            }
            tableIndex[i] = at;
        }
        writer.writeInt("format", format);
        writer.writeBoolean("rolledBack", result.rolledBack());
        writer.writeInt("nodes", table.size());
        writer.writeInt("started", started.size());
        writer.writeInt("errors", errors.size());
        BinaryRawWriter raw = writer.rawWriter();
        for (ChildRef r : table) {
            raw.writeString(r.hubId());
            raw.writeString(r.node());
            raw.writeUuid(r.nodeId());
        }
        for (int i = 0; i < started.size(); i++) {
            ChildRef r = started.get(i);
            raw.writeString(r.childId());
            raw.writeInt(tableIndex[i]);
            raw.writeLong(r.incarnation());
            raw.writeByte(roleCode(r.role()));
        }
        for (ChildError e : errors) {
            raw.writeString(e.childId());
            raw.writeString(e.node());
            raw.writeString(e.reason().name());
            raw.writeString(e.detail());
            ChildRef existing = e.existing();
            raw.writeByte((byte)(existing == null ? 0 : 1));
            if (existing != null) {
                raw.writeString(existing.hubId());
                raw.writeString(existing.childId());
                raw.writeString(existing.node());
                raw.writeUuid(existing.nodeId());
                raw.writeLong(existing.incarnation());
                raw.writeByte(roleCode(existing.role()));
            }
        }
    }

    private static boolean sameNode(ChildRef a, ChildRef b) {
        return Objects.equals(a.hubId(), b.hubId()) && Objects.equals(a.node(), b.node());
    }

    private static byte roleCode(ReplicaRole role) {
        for (byte code = 0; code < ROLES.length; code++)
            if (ROLES[code] == role)
                return code;
        throw new IllegalArgumentException("no wire code for replica role " + role);
    }

    @Override
    public void readBinary(BinaryReader reader) throws BinaryObjectException {
        try {
            format = reader.readInt("format");
            if (format != FORMAT) {
                problem = "format " + format + ", this client reads format " + FORMAT;
                return;
            }
            boolean rolledBack = reader.readBoolean("rolledBack");
            int nodes = reader.readInt("nodes");
            int startedCount = reader.readInt("started");
            int errorCount = reader.readInt("errors");
            if (nodes < 0 || startedCount < 0 || errorCount < 0) {
                problem = "a negative count (nodes " + nodes + ", started " + startedCount + ", errors " + errorCount + ')';
                return;
            }
            BinaryRawReader raw = reader.rawReader();
            String[] hubs = new String[nodes];
            String[] names = new String[nodes];
            UUID[] ids = new UUID[nodes];
            for (int i = 0; i < nodes; i++) {
                hubs[i] = raw.readString();
                names[i] = raw.readString();
                ids[i] = raw.readUuid();
            }
            List<ChildRef> started = new ArrayList<>(Math.min(startedCount, 1 << 16));
            for (int i = 0; i < startedCount; i++) {
                String childId = raw.readString();
                int at = raw.readInt();
                long incarnation = raw.readLong();
                ReplicaRole role = role(raw.readByte());
                if (at < 0 || at >= nodes)
                    throw new IllegalArgumentException("started child " + childId + " names node " + at + " of " + nodes);
                started.add(new ChildRef(hubs[at], childId, names[at], ids[at], incarnation, role));
            }
            List<ChildError> errors = new ArrayList<>(Math.min(errorCount, 1 << 16));
            for (int i = 0; i < errorCount; i++) {
                String childId = raw.readString();
                String node = raw.readString();
                ChildError.Reason reason = ChildError.Reason.valueOf(raw.readString());
                String detail = raw.readString();
                ChildRef existing = raw.readByte() == 0 ? null : new ChildRef(raw.readString(), raw.readString(),
                    raw.readString(), raw.readUuid(), raw.readLong(), role(raw.readByte()));
                errors.add(new ChildError(childId, node, reason, detail, existing));
            }
            result = new StartResult(started, errors, rolledBack);
        }
        catch (RuntimeException e) {
            // Truncated or foreign data, an unknown role or reason: Ignite positions its reader after this object.
            problem = "malformed data (" + e + ")";
        }
    }

    private static ReplicaRole role(byte code) {
        if (code < 0 || code >= ROLES.length)
            throw new IllegalArgumentException("replica role code " + code + ", not 0 or 1");
        return ROLES[code];
    }

    @Override
    public String toString() {
        return problem != null ? "StartBatchResult[unreadable: " + problem + ']' : "StartBatchResult[" + result + ']';
    }
}
