package io.processhub.ignite.reconcile;

import io.processhub.ignite.supervision.LocalChild;

import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import io.processhub.ReplicaRole;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What one node knows about one child when it reconciles it: the desired state (the spec entry, the owners),
 * the registered replicas with their nodes' liveness, its own local child, and the circumstances of the pass.
 * Plain values, gathered by the {@link Reconciler} and judged by {@link Decide}.
 */
public final class ChildFacts {
    /** A registered replica of the child, and whether Ignite still sees its node. */
    public static final class Replica {
        public final ChildRef ref;
        public final boolean alive;

        public Replica(ChildRef ref, boolean alive) {
            this.ref = ref;
            this.alive = alive;
        }
    }

    public final String childId;
    /** This node. */
    public final UUID self;
    /** The desired spec (the registry's spec entry); null if there is none. */
    public final ChildSpec spec;
    /** When this node last saw the child's spec removed (same clock as {@link #now}); 0 if not recently. */
    public final long specRemovedAt;
    public final List<Replica> replicas;
    /** This node's local child (a RETIRED tombstone included); null if there is none. */
    public final LocalChild local;
    /** The child's owners at the current membership, first owner first. */
    public final List<UUID> owners;
    /** Whether this node's replica received the child's state by a handover and was not promoted since. */
    public final boolean stateHandedIn;
    public final long now;
    /** Whether this side of the cluster lacks quorum. */
    public final boolean partitioned;
    /** Whether the pass looks at every child (membership change, sync interval), not only at changed ones. */
    public final boolean fullPass;
    /**
     * An active replica whose node told this one it demoted it, while the registry still shows it active; null if
     * none. It counts as not active.
     */
    public final ChildRef released;

    private ChildFacts(Builder b) {
        this.childId = b.childId;
        this.self = b.self;
        this.spec = b.spec;
        this.specRemovedAt = b.specRemovedAt;
        this.replicas = List.copyOf(b.replicas);
        this.local = b.local;
        this.owners = List.copyOf(b.owners);
        this.stateHandedIn = b.stateHandedIn;
        this.now = b.now;
        this.partitioned = b.partitioned;
        this.fullPass = b.fullPass;
        this.released = b.released;
    }

    public static Builder of(String childId, UUID self) {
        return new Builder(childId, self);
    }

    /** This node's position among the owners (0: first owner), -1 if it is none of them. */
    public int ownerIndex() {
        return owners.indexOf(self);
    }

    /** This node's registered replica, or null. */
    public ChildRef mine() {
        for (Replica r : replicas)
            if (r.ref.nodeId().equals(self))
                return r.ref;
        return null;
    }

    /** Whether a replica on another live node is active (one released to this node is not). */
    public boolean activeElsewhere() {
        for (Replica r : replicas)
            if (r.alive && !r.ref.nodeId().equals(self) && r.ref.role() == ReplicaRole.ACTIVE && !r.ref.equals(released))
                return true;
        return false;
    }

    /** Whether the first owner, another node, runs a live replica. */
    public boolean firstOwnerRuns() {
        if (owners.isEmpty() || owners.get(0).equals(self))
            return false;
        for (Replica r : replicas)
            if (r.alive && r.ref.nodeId().equals(owners.get(0)))
                return true;
        return false;
    }

    /** Whether a replica still runs on another live node that does not own the child: one moving away. */
    public boolean movingReplicaRuns() {
        for (Replica r : replicas)
            if (r.alive && !r.ref.nodeId().equals(self) && !owners.contains(r.ref.nodeId()))
                return true;
        return false;
    }

    /** Collects the facts; everything not set is absent, false or empty. */
    public static final class Builder {
        private final String childId;
        private final UUID self;
        private ChildSpec spec;
        private final List<Replica> replicas = new ArrayList<>();
        private LocalChild local;
        private final List<UUID> owners = new ArrayList<>();
        private boolean stateHandedIn;
        private long now;
        private boolean partitioned;
        private boolean fullPass;
        private ChildRef released;
        private long specRemovedAt;

        private Builder(String childId, UUID self) {
            this.childId = childId;
            this.self = self;
        }

        public Builder spec(ChildSpec spec) {
            this.spec = spec;
            return this;
        }

        public Builder specRemovedAt(long at) {
            this.specRemovedAt = at;
            return this;
        }

        public Builder replica(ChildRef ref, boolean alive) {
            replicas.add(new Replica(ref, alive));
            return this;
        }

        public Builder local(LocalChild local) {
            this.local = local;
            return this;
        }

        public Builder owner(UUID node) {
            owners.add(node);
            return this;
        }

        public Builder stateHandedIn(boolean stateHandedIn) {
            this.stateHandedIn = stateHandedIn;
            return this;
        }

        public Builder now(long now) {
            this.now = now;
            return this;
        }

        public Builder partitioned(boolean partitioned) {
            this.partitioned = partitioned;
            return this;
        }

        public Builder fullPass(boolean fullPass) {
            this.fullPass = fullPass;
            return this;
        }

        public Builder released(ChildRef released) {
            this.released = released;
            return this;
        }

        public ChildFacts build() {
            return new ChildFacts(this);
        }
    }
}
