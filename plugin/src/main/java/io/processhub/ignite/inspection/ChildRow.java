package io.processhub.ignite.inspection;

import io.processhub.ignite.supervision.ChildPhase;
import io.processhub.ignite.supervision.LocalChild;

import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import java.util.Date;

/** One child replica on this node as the {@code PROCESSHUB_CHILDREN} view shows it: a snapshot of its cell. */
public final class ChildRow {
    public final String hubId;
    public final String childId;
    public final String node;
    public final String role;
    public final long incarnation;
    /**
     * Its {@link ChildPhase} by name: STARTING, RUNNING, MOVING_OUT, STOPPING or DEAD.
     * RETIRED never shows: tombstones are not among a node's children.
     */
    public final String state;
    public final String className;
    public final String restartPolicy;
    public final String metadata;
    public final Date startedAt;

    private ChildRow(String hubId, String node, LocalChild cell) {
        ChildRef ref = cell.ref;
        ChildSpec spec = cell.spec;
        long started = cell.startedAt;
        this.hubId = hubId;
        this.childId = cell.id;
        this.node = node;
        this.role = cell.role == null ? null : cell.role.name();
        this.incarnation = ref == null ? 0 : ref.incarnation();
        this.state = cell.phase.name();
        this.className = spec.className();
        this.restartPolicy = spec.restart().name();
        this.metadata = spec.metadata().isEmpty() ? "" : spec.metadata().toString();
        this.startedAt = started == 0 ? null : new Date(started);
    }

    public static ChildRow of(HubStatus hub, LocalChild cell) {
        return new ChildRow(hub.hubId(), hub.localNode(), cell);
    }

    /** Restarts in place of the current instance's child: incarnations start at 1. */
    public long restarts() {
        return Math.max(0, incarnation - 1);
    }
}
