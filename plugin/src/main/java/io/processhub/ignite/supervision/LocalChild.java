package io.processhub.ignite.supervision;

import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import io.processhub.ReplicaRole;

/** An immutable snapshot of one local child, as the supervisor answers queries about it. */
public final class LocalChild {
    public final String id;
    public final ChildPhase phase;
    /** The spec it runs (after CHILD_DATA_ALTER handlers). */
    public final ChildSpec spec;
    /** The current instance's ref; null before the first instance started. */
    public final ChildRef ref;
    /** The role of the current instance, or the one its first instance will start with. */
    public final ReplicaRole role;
    /** When its first registry write completed; 0 while none has. */
    public final long registeredAt;
    /** When the current instance started; 0 until one did. */
    public final long startedAt;
    /** When it was retired (phase {@code RETIRED}); 0 otherwise. */
    public final long retiredAt;
    /** Whether this node recorded its spec (started here by a request), not only its replica's ref. */
    public final boolean recordsSpec;

    public LocalChild(String id, ChildPhase phase, ChildSpec spec, ChildRef ref, ReplicaRole role, long registeredAt,
        long startedAt, long retiredAt, boolean recordsSpec) {
        this.id = id;
        this.phase = phase;
        this.spec = spec;
        this.ref = ref;
        this.role = role;
        this.registeredAt = registeredAt;
        this.startedAt = startedAt;
        this.retiredAt = retiredAt;
        this.recordsSpec = recordsSpec;
    }

    public boolean isRunning() {
        return phase == ChildPhase.RUNNING;
    }

    public boolean isRegistered() {
        return registeredAt != 0;
    }
}
