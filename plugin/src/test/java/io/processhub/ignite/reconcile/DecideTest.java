package io.processhub.ignite.reconcile;

import io.processhub.ignite.supervision.ChildPhase;
import io.processhub.ignite.supervision.LocalChild;

import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import io.processhub.ReplicaRole;
import io.processhub.strategy.ColdSwap;
import io.processhub.strategy.HotSwap;
import io.processhub.strategy.MigrationStrategy;
import io.processhub.strategy.RedundancyStrategy;
import io.processhub.strategy.Replication;
import io.processhub.strategy.Singularity;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static io.processhub.ReplicaRole.ACTIVE;
import static io.processhub.ReplicaRole.PASSIVE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** The reconcile decision, one row per situation: facts built by hand, no Ignite. This node is always A. */
class DecideTest {
    private static final String ID = "c1";
    private static final ChildSpec SPEC = ChildSpec.of(ID, "test.Child");
    private static final UUID A = new UUID(0, 1);
    private static final UUID B = new UUID(0, 2);
    private static final UUID E = new UUID(0, 5);
    private static final long NOW = 1_000_000;

    private static final RedundancyStrategy SINGLE = new Singularity();
    private static final RedundancyStrategy AP = activePassive();
    private static final RedundancyStrategy AA = new Replication();
    private static final MigrationStrategy COLD = new ColdSwap();
    private static final MigrationStrategy HOT = new HotSwap();

    private static Replication activePassive() {
        Replication r = new Replication();
        r.setReplicationModel(Replication.ReplicationModel.ACTIVE_PASSIVE);
        return r;
    }

    private static ChildRef ref(UUID node, ReplicaRole role) {
        return new ChildRef("hub", ID, "n" + node.getLeastSignificantBits(), node, 1, role);
    }

    /** A running replica here that a request started (this node recorded its spec), registered long ago. */
    private static LocalChild running(ReplicaRole role) {
        return new LocalChild(ID, ChildPhase.RUNNING, SPEC, ref(A, role), role, NOW - 60_000, NOW - 60_000, 0, true);
    }

    /** A running replica here that the reconciler started from the registry's spec, registered long ago. */
    private static LocalChild replicaStarted(ReplicaRole role) {
        return new LocalChild(ID, ChildPhase.RUNNING, SPEC, ref(A, role), role, NOW - 60_000, NOW - 60_000, 0, false);
    }

    private static LocalChild inPhase(ChildPhase phase) {
        return new LocalChild(ID, phase, SPEC, ref(A, ACTIVE), ACTIVE, NOW - 60_000, NOW - 60_000, 0, true);
    }

    private static LocalChild retired(long at) {
        return new LocalChild(ID, ChildPhase.RETIRED, null, null, null, 0, 0, at, false);
    }

    private static Arguments row(String situation, RedundancyStrategy r, MigrationStrategy m,
        UnaryOperator<ChildFacts.Builder> facts, Decision expected) {
        return arguments(situation, r, m, facts.apply(ChildFacts.of(ID, A).now(NOW)).build(), expected);
    }

    static Stream<Arguments> situations() {
        return Stream.of(
            // ColdSwap: stop first, then start.
            row("an owner with a spec and no replica starts it", SINGLE, COLD,
                f -> f.spec(SPEC).owner(A), Decision.start(0)),
            row("ColdSwap: the new owner waits while the old owner still runs it", SINGLE, COLD,
                f -> f.spec(SPEC).owner(A).replica(ref(B, ACTIVE), true), Decision.WAIT),
            row("ColdSwap: the new owner starts once the old owner's node is gone", SINGLE, COLD,
                f -> f.spec(SPEC).owner(A).replica(ref(B, ACTIVE), false), Decision.start(0)),
            row("ColdSwap: a replica this node no longer owns stops now", SINGLE, COLD,
                f -> f.spec(SPEC).owner(B).local(running(ACTIVE)).replica(ref(A, ACTIVE), true), Decision.STOP_MIGRATED),
            row("a stale entry of a replica that does not run here is dropped", SINGLE, COLD,
                f -> f.spec(SPEC).owner(B).replica(ref(A, ACTIVE), true), Decision.DROP_OWN_ENTRY),
            row("ColdSwap: an owner waiting for the moving replica drops its own stale entry meanwhile", SINGLE, COLD,
                f -> f.spec(SPEC).owner(A).replica(ref(B, ACTIVE), true).replica(ref(A, ACTIVE), true), Decision.DROP_OWN_ENTRY),
            row("a second owner starts its replica beside the first", AP, COLD,
                f -> f.spec(SPEC).owner(B).owner(A).replica(ref(B, ACTIVE), true), Decision.start(1)),

            // HotSwap: start before stop, the state follows.
            row("HotSwap: the new owner starts beside the old one", SINGLE, HOT,
                f -> f.spec(SPEC).owner(A).replica(ref(B, ACTIVE), true), Decision.start(0)),
            row("HotSwap: the active replica waits until the new owner runs its replica", SINGLE, HOT,
                f -> f.spec(SPEC).owner(B).local(running(ACTIVE)).replica(ref(A, ACTIVE), true), Decision.WAIT),
            row("HotSwap: the active replica hands over once the new owner runs", SINGLE, HOT,
                f -> f.spec(SPEC).owner(B).local(running(ACTIVE)).replica(ref(A, ACTIVE), true).replica(ref(B, PASSIVE), true),
                Decision.HAND_OVER),
            row("HotSwap: a passive replica that received the state hands it on (its sender's entry still shows)", SINGLE, HOT,
                f -> f.spec(SPEC).owner(E).local(running(PASSIVE)).stateHandedIn(true)
                    .replica(ref(B, ACTIVE), true).replica(ref(A, PASSIVE), true).replica(ref(E, ACTIVE), true),
                Decision.HAND_OVER),
            row("HotSwap: a passive replica without the state, beside the active one, stops now", SINGLE, HOT,
                f -> f.spec(SPEC).owner(E).local(running(PASSIVE))
                    .replica(ref(B, ACTIVE), true).replica(ref(A, PASSIVE), true).replica(ref(E, PASSIVE), true),
                Decision.STOP_MIGRATED),
            row("HotSwap: the new owner's passive replica stays passive while the old active one runs", SINGLE, HOT,
                f -> f.spec(SPEC).owner(A).local(running(PASSIVE)).replica(ref(A, PASSIVE), true).replica(ref(B, ACTIVE), true),
                Decision.NOTHING),
            row("HotSwap: the new owner's replica is promoted once the old one is gone", SINGLE, HOT,
                f -> f.spec(SPEC).owner(A).local(running(PASSIVE)).replica(ref(A, PASSIVE), true),
                Decision.setRole(ACTIVE)),

            // Promotion and demotion (ACTIVE_PASSIVE).
            row("the first owner waits for the old active replica to be demoted", AP, COLD,
                f -> f.spec(SPEC).owner(A).owner(B).local(running(PASSIVE)).replica(ref(A, PASSIVE), true).replica(ref(B, ACTIVE), true),
                Decision.NOTHING),
            row("the first owner is promoted once no other replica is active", AP, COLD,
                f -> f.spec(SPEC).owner(A).owner(B).local(running(PASSIVE)).replica(ref(A, PASSIVE), true).replica(ref(B, PASSIVE), true),
                Decision.setRole(ACTIVE)),
            row("the first owner is promoted when the active replica's node died", AP, COLD,
                f -> f.spec(SPEC).owner(A).owner(B).local(running(PASSIVE)).replica(ref(A, PASSIVE), true).replica(ref(B, ACTIVE), false),
                Decision.setRole(ACTIVE)),
            row("make before break: the active replica stays active while the new first owner runs nothing", AP, COLD,
                f -> f.spec(SPEC).owner(E).owner(A).local(running(ACTIVE)).replica(ref(A, ACTIVE), true),
                Decision.NOTHING),
            row("make before break: the active replica is demoted once the new first owner runs its replica", AP, COLD,
                f -> f.spec(SPEC).owner(E).owner(A).local(running(ACTIVE)).replica(ref(A, ACTIVE), true).replica(ref(E, PASSIVE), true),
                Decision.setRole(PASSIVE)),
            row("the first owner is promoted at once when the active replica's node says it demoted it (the registry lags)", AP, COLD,
                f -> f.spec(SPEC).owner(A).owner(B).local(running(PASSIVE)).replica(ref(A, PASSIVE), true).replica(ref(B, ACTIVE), true)
                    .released(ref(B, ACTIVE)), Decision.setRole(ACTIVE)),
            row("HotSwap: the first owner is promoted at once when the demoted replica handed its role over", AP, HOT,
                f -> f.spec(SPEC).owner(A).owner(B).local(running(PASSIVE)).replica(ref(A, PASSIVE), true).replica(ref(B, ACTIVE), true)
                    .released(ref(B, ACTIVE)), Decision.setRole(ACTIVE)),
            row("a release of another incarnation does not end the active one's role", AP, COLD,
                f -> f.spec(SPEC).owner(A).owner(B).local(running(PASSIVE)).replica(ref(A, PASSIVE), true).replica(ref(B, ACTIVE), true)
                    .released(new ChildRef("hub", ID, "n2", B, 2, ACTIVE)), Decision.NOTHING),
            row("a release another node received does not promote a standby off the first owner", AP, COLD,
                f -> f.spec(SPEC).owner(E).owner(A).local(running(PASSIVE)).replica(ref(A, PASSIVE), true).replica(ref(B, ACTIVE), true)
                    .released(ref(B, ACTIVE)), Decision.NOTHING),
            row("a standby is not promoted off the first owner", AP, COLD,
                f -> f.spec(SPEC).owner(E).owner(A).local(running(PASSIVE)).replica(ref(A, PASSIVE), true),
                Decision.NOTHING),
            row("ACTIVE_ACTIVE: every replica is active", AA, COLD,
                f -> f.spec(SPEC).owner(E).owner(A).local(running(PASSIVE)).replica(ref(A, PASSIVE), true).replica(ref(E, ACTIVE), true),
                Decision.setRole(ACTIVE)),

            // Registration.
            row("a running replica the registry lacks is registered again", SINGLE, COLD,
                f -> f.spec(SPEC).owner(A).local(running(ACTIVE)), Decision.REGISTER_REPLICA),
            row("a running replica waits for its first registration", SINGLE, COLD,
                f -> f.spec(SPEC).owner(A).local(new LocalChild(ID, ChildPhase.RUNNING, SPEC, ref(A, ACTIVE), ACTIVE, 0, NOW, 0, true)),
                Decision.WAIT),
            row("a replica whose registration shows in the registry copy is promoted before the write is acknowledged", AP, COLD,
                f -> f.spec(SPEC).owner(A).owner(B).replica(ref(A, PASSIVE), true).replica(ref(B, PASSIVE), true)
                    .local(new LocalChild(ID, ChildPhase.RUNNING, SPEC, ref(A, PASSIVE), PASSIVE, 0, NOW, 0, true)),
                Decision.setRole(ACTIVE)),
            row("a replica the active one's node released the role to is promoted before its own registration shows here", AP, COLD,
                f -> f.spec(SPEC).owner(A).owner(B).replica(ref(B, ACTIVE), true).released(ref(B, ACTIVE))
                    .local(new LocalChild(ID, ChildPhase.RUNNING, SPEC, ref(A, PASSIVE), PASSIVE, 0, NOW, 0, true)),
                Decision.setRole(ACTIVE)),
            row("a full pass registers again a spec missing long after registration", SINGLE, COLD,
                f -> f.owner(A).local(running(ACTIVE)).replica(ref(A, ACTIVE), true).fullPass(true), Decision.REGISTER_SPEC),
            row("a spec removal seen after registration is a stop, not a lost write, even before the stop arrives (chaos ap-1726)",
                SINGLE, COLD, f -> f.owner(A).local(running(ACTIVE)).replica(ref(A, ACTIVE), true).fullPass(true)
                    .specRemovedAt(NOW - 10), Decision.STOP_ORPHAN),
            row("a spec removal seen before registration (an earlier child of that id) leaves the repair to a full pass",
                SINGLE, COLD, f -> f.owner(A).local(running(ACTIVE)).replica(ref(A, ACTIVE), true).fullPass(true)
                    .specRemovedAt(NOW - 70_000), Decision.REGISTER_SPEC),
            row("between full passes a missing spec is on its way or removed on purpose", SINGLE, COLD,
                f -> f.owner(A).local(running(ACTIVE)).replica(ref(A, ACTIVE), true), Decision.NOTHING),
            row("a replica the reconciler started stops once its spec is gone: a stop raced its start", AP, COLD,
                f -> f.owner(A).owner(B).local(replicaStarted(PASSIVE)).replica(ref(A, PASSIVE), true), Decision.STOP_ORPHAN),
            row("... on a full pass too: it never writes the spec back", SINGLE, COLD,
                f -> f.owner(A).local(replicaStarted(ACTIVE)).replica(ref(A, ACTIVE), true).fullPass(true), Decision.STOP_ORPHAN),
            row("... even before its own registration shows", AP, COLD,
                f -> f.owner(A).owner(B).local(new LocalChild(ID, ChildPhase.RUNNING, SPEC, ref(A, PASSIVE), PASSIVE, 0, NOW, 0, false)),
                Decision.STOP_ORPHAN),
            row("... and rather than moving away", SINGLE, COLD,
                f -> f.owner(B).local(replicaStarted(ACTIVE)).replica(ref(A, ACTIVE), true), Decision.STOP_ORPHAN),
            row("a settled replica needs nothing", SINGLE, COLD,
                f -> f.spec(SPEC).owner(A).local(running(ACTIVE)).replica(ref(A, ACTIVE), true), Decision.NOTHING),

            // Phases in which the supervisor is at work.
            row("a starting child is left to its start", SINGLE, COLD,
                f -> f.spec(SPEC).owner(B).local(inPhase(ChildPhase.STARTING)), Decision.WAIT),
            row("a child moving out is left to its move", SINGLE, HOT,
                f -> f.spec(SPEC).owner(B).local(inPhase(ChildPhase.MOVING_OUT)), Decision.WAIT),
            row("a dead child is left to its supervisor", SINGLE, COLD,
                f -> f.spec(SPEC).owner(A).local(inPhase(ChildPhase.DEAD)), Decision.WAIT),

            // Retirement.
            row("a recent tombstone waits for the spec's removal to be seen", SINGLE, COLD,
                f -> f.spec(SPEC).owner(A).local(retired(NOW - 100)), Decision.WAIT),
            row("an old tombstone whose spec is gone ends", SINGLE, COLD,
                f -> f.owner(A).local(retired(NOW - 10_000)).replica(ref(A, ACTIVE), true), Decision.END_RETIREMENT),
            row("an old tombstone whose spec came back removes it again", SINGLE, COLD,
                f -> f.spec(SPEC).owner(A).local(retired(NOW - 10_000)), Decision.RETIRE_AGAIN),

            // Quorum loss.
            row("without quorum an owner starts nothing", SINGLE, COLD,
                f -> f.spec(SPEC).owner(A).partitioned(true), Decision.NOTHING),
            row("without quorum nothing is moved, promoted or written", AP, HOT,
                f -> f.spec(SPEC).owner(A).owner(B).local(running(PASSIVE)).partitioned(true), Decision.NOTHING));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("situations")
    void decides(String situation, RedundancyStrategy redundancy, MigrationStrategy migration, ChildFacts facts, Decision expected) {
        assertEquals(expected, new Decide(redundancy, migration).decide(facts));
    }
}
