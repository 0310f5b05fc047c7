package io.processhub.ignite.reconcile;

import io.processhub.ignite.supervision.ChildPhase;
import io.processhub.ignite.supervision.LocalChild;

import io.processhub.ReplicaRole;
import io.processhub.strategy.MigrationStrategy;
import io.processhub.strategy.RedundancyStrategy;

/**
 * The reconcile decision: from the facts about one child, the one thing this node does about it now. A pure
 * function of its arguments (and of the strategies, which answer from plain values): no Ignite, no clock.
 */
public final class Decide {
    /** How long a registry write may take to show in the local copy before it is made again. */
    public static final long RETRY_MILLIS = 2_000;

    private final RedundancyStrategy redundancy;
    private final MigrationStrategy migration;

    public Decide(RedundancyStrategy redundancy, MigrationStrategy migration) {
        this.redundancy = redundancy;
        this.migration = migration;
    }

    public Decision decide(ChildFacts f) {
        if (f.partitioned)
            return Decision.NOTHING; // without quorum this side neither writes the registry nor starts anything
        LocalChild local = f.local;
        if (local != null && local.phase == ChildPhase.RETIRED)
            return retired(f, local);
        if (local != null && local.phase != ChildPhase.RUNNING)
            return Decision.WAIT; // starting, moving out, stopping, or dead: its supervisor is at work
        int index = f.ownerIndex();
        if (local != null)
            return running(f, local, index);
        boolean owned = f.spec != null && index >= 0;
        if (owned && migration.mayStart(f.movingReplicaRuns()))
            return Decision.start(index);
        // A stale entry of a child started here again is overwritten when the child registers. Removing it as well
        // would race with that registration (two asynchronous writes of one key, reordered during a topology
        // change): the removal could land last and leave a running child unregistered until the next sync.
        if (f.mine() != null)
            return Decision.DROP_OWN_ENTRY;
        return owned ? Decision.WAIT : Decision.NOTHING;
    }

    /** The role a replica of this node gets when it starts: it is not active yet. */
    public ReplicaRole initialRole(int ownerIndex, boolean activeElsewhere) {
        return redundancy.active(ownerIndex, false, activeElsewhere, false) ? ReplicaRole.ACTIVE : ReplicaRole.PASSIVE;
    }

    /**
     * A tombstone: this node removed the child's spec. Its removal ends the tombstone when it is seen (not merely
     * when no spec is seen: the spec's own registration may not have arrived yet, and arriving after the retirement
     * it would start the child again); after the retry time the spec's absence ends it too, and its presence means
     * the removal did not stick.
     */
    private static Decision retired(ChildFacts f, LocalChild tombstone) {
        if (f.now - tombstone.retiredAt <= RETRY_MILLIS)
            return Decision.WAIT;
        return f.spec == null ? Decision.END_RETIREMENT : Decision.RETIRE_AGAIN;
    }

    private Decision running(ChildFacts f, LocalChild local, int index) {
        // The reconciler started it from a spec the registry held: gone now, it was removed on purpose. So it was if
        // this node saw the removal after the replica registered (a stop or an exit elsewhere): not a lost write to
        // repair, even if this pass comes before the stop that the removal asked of this replica.
        if (f.spec == null && (!local.recordsSpec || local.isRegistered() && f.specRemovedAt > local.registeredAt))
            return Decision.STOP_ORPHAN;
        ReplicaRole current = local.ref.role();
        if (index < 0 && !f.owners.isEmpty())
            return moveAway(f, current);
        // Its first registration is on its way, unless the registry copy shows it already (the write is applied,
        // only its acknowledgement is pending), or the active replica's node released the role to it (it did so on
        // seeing that registration): a write of the same key made now cannot overtake it.
        if (!local.isRegistered() && !local.ref.equals(f.mine()) && f.released == null)
            return Decision.WAIT;
        // Started here by a request: a spec missing right after registration is still on its way through the
        // continuous query; missing long after, its write was lost.
        if (f.spec == null && f.fullPass && f.now - local.registeredAt > RETRY_MILLIS)
            return Decision.REGISTER_SPEC;
        boolean active = redundancy.active(index, current == ReplicaRole.ACTIVE, f.activeElsewhere(), f.firstOwnerRuns());
        ReplicaRole role = active ? ReplicaRole.ACTIVE : ReplicaRole.PASSIVE;
        if (role != current)
            return Decision.setRole(role);
        return local.ref.equals(f.mine()) ? Decision.NOTHING : Decision.REGISTER_REPLICA;
    }

    private Decision moveAway(ChildFacts f, ReplicaRole current) {
        switch (migration.moveStep(current == ReplicaRole.ACTIVE, f.stateHandedIn, f.activeElsewhere(), f.firstOwnerRuns())) {
            case STOP_NOW:
                return Decision.STOP_MIGRATED;
            case HAND_OVER:
                return Decision.HAND_OVER;
            default:
                return Decision.WAIT;
        }
    }
}
