package io.processhub.ignite.registry;

import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import io.processhub.ReplicaRole;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The applier and the index without Ignite: batches applied once and in each writer's order whatever order they
 * arrive in, gaps reported, the highest version of a record winning across writers, removals at exact versions,
 * and a node behind a writer's snapshot taking it whole.
 */
class DeltaApplierTest {
    private static final UUID A = UUID.randomUUID();
    private static final UUID B = UUID.randomUUID();
    private final RegistryIndex index = new RegistryIndex();
    private final List<String> hooks = new ArrayList<>();
    private final List<String> gaps = new ArrayList<>();
    /** This node is A: its versions carry writer bits 1. */
    private static final long A_BITS = 1;
    private final List<String> superseded = new ArrayList<>();
    private final DeltaApplier applier = new DeltaApplier(index, new RegistryIndex.ChangeListener() {
        @Override
        public void inserted(ChildRef ref) {
            hooks.add("+" + ref.childId() + "@" + ref.node());
        }

        @Override
        public void removed(ChildRef ref) {
            hooks.add("-" + ref.childId() + "@" + ref.node());
        }

        @Override
        public void specRemoved(String childId) {
            hooks.add("spec-" + childId);
        }
    }, v -> { }, (w, first, held) -> gaps.add(first + ".." + (held - 1)), A_BITS, () -> superseded.add("own spec superseded"));

    private static long version(long epoch, long counter, long writerBits) {
        return epoch << 40 | counter << 12 | writerBits;
    }

    private static ChildSpec spec(String id) {
        return ChildSpec.create(id, "app.Worker", List.of());
    }

    private static ChildRef ref(String id, UUID node, long incarnation) {
        return new ChildRef("hub", id, node == A ? "a" : "b", node, incarnation, ReplicaRole.ACTIVE);
    }

    private static RegistryDelta puts(UUID writer, long seq, long version, Object... values) {
        long[] versions = new long[values.length];
        java.util.Arrays.fill(versions, version);
        return new RegistryDelta(writer, seq, version, 0, values, versions, new String[0], new long[0]);
    }

    private static RegistryDelta removals(UUID writer, long seq, long version, String key, long upTo) {
        return new RegistryDelta(writer, seq, version, 0, new Object[0], new long[0], new String[] {key}, new long[] {upTo});
    }

    private void receive(RegistryDelta d) {
        applier.receive(d, new HashSet<>());
    }

    @Test
    void batchesArrivingOutOfOrderAreAppliedInOrderOnceAndTheGapIsReported() {
        long v1 = version(3, 1, 1);
        long v2 = version(3, 2, 1);
        long v3 = version(3, 3, 1);
        RegistryDelta first = puts(A, 1, v1, spec("x"), ref("x", A, 1));
        RegistryDelta second = puts(A, 2, v2, ref("x", A, 2));
        RegistryDelta third = removals(A, 3, v3, RegistryKeys.replicaKey("x", A), v3);

        receive(third);
        receive(second);
        assertEquals(List.of("1..2", "1..1"), gaps, "held batches reveal the missing ones at once");
        assertNull(index.get("x"), "nothing applied before batch 1");

        receive(first);
        receive(second); // a duplicate: dropped
        assertEquals(3, applier.applied(A));
        assertEquals(List.of("+x@a", "+x@a", "-x@a"), hooks, "each change once, in seq order");
        assertNotNull(index.get("x").spec());
        assertEquals(0, index.get("x").refCount());
    }

    @Test
    void anotherWritersRemovalOfASpecThisNodeWroteMakesItsLogDueForCompaction() {
        // A wrote the spec (a child started here by a request); it moved, and B, where it ran, removed the spec on a
        // stop. A's put stays in A's log until A compacts, which an idle A would never do: the applier says so.
        long put = version(3, 1, A_BITS);
        receive(puts(A, 1, put, spec("m")));
        receive(removals(B, 1, version(3, 5, 2), RegistryKeys.replicaKey("m", B), version(3, 5, 2)));
        assertEquals(List.of(), superseded, "a removal of another node's ref concerns no record of A");
        receive(removals(B, 2, version(3, 6, 2), "m", version(3, 6, 2)));
        assertEquals(List.of("own spec superseded"), superseded);
        assertNull(index.get("m"));

        receive(puts(B, 3, version(3, 7, 2), spec("n")));
        receive(removals(A, 2, version(3, 8, A_BITS), "n", version(3, 8, A_BITS)));
        assertEquals(List.of("own spec superseded"), superseded, "A removing B's spec: B's log is B's to compact");
    }

    @Test
    void theHighestVersionWinsWhateverTheOrderOfWriters() {
        long older = version(3, 5, 1);
        long newer = version(4, 1, 2); // a newer topology beats any counter of an older one
        receive(puts(B, 1, newer, ref("y", A, 7)));
        receive(puts(A, 1, older, ref("y", A, 6)));
        assertEquals(7, index.get("y").refOn(A).incarnation(), "the older put, arriving last, lost");
    }

    @Test
    void aRemovalAtTheVersionSeenKeepsANewerRegistration() {
        long seen = version(3, 1, 1);
        long newer = version(3, 9, 1);
        receive(puts(A, 1, seen, spec("z"), ref("z", A, 1)));
        receive(puts(A, 2, newer, ref("z", A, 2)));
        // Node B removes the ref it saw (incarnation 1), after A registered incarnation 2.
        receive(removals(B, 1, version(3, 10, 2), RegistryKeys.replicaKey("z", A), seen));
        assertEquals(2, index.get("z").refOn(A).incarnation());
    }

    @Test
    void aRemovalBeatsAnOlderPutThatArrivesAfterIt() {
        long put = version(3, 1, 1);
        long removal = version(3, 4, 2);
        receive(removals(B, 1, removal, "w", removal));
        receive(puts(A, 1, put, spec("w")));
        assertNull(index.get("w"), "the spec removed later (by version) stays removed");
        assertEquals(List.of("spec-w"), hooks);
    }

    @Test
    void aNodeBehindASnapshotTakesItWhole() {
        long v = version(3, 1, 1);
        receive(puts(A, 1, v, spec("kept"), ref("kept", A, 1), spec("gone"), ref("gone", A, 1)));
        // Batches 2..5 are lost here (and compacted away); batch 6..7 is A's snapshot replacing 1..5: "gone" went.
        long s = version(3, 9, 1);
        RegistryDelta part1 = new RegistryDelta(A, 6, s, 0, new Object[] {spec("kept")}, new long[] {v}, new String[0], new long[0], 5, 7);
        RegistryDelta part2 = new RegistryDelta(A, 7, s, 0, new Object[] {ref("kept", A, 1), spec("new")}, new long[] {v, version(3, 8, 1)},
            new String[0], new long[0], 5, 7);
        receive(part2);
        assertEquals(1, applier.applied(A), "waits for the whole snapshot");
        receive(part1);
        assertEquals(7, applier.applied(A));
        assertNull(index.get("gone"), "what the snapshot no longer has is removed");
        assertNotNull(index.get("kept").refOn(A));
        assertNotNull(index.get("new").spec());
        assertTrue(hooks.contains("-gone@a"));
        assertEquals(1, hooks.stream().filter("+kept@a"::equals).count(), "kept: inserted once, not again");
    }

    @Test
    void aSnapshotChangesNothingForANodeThatIsUpToDate() {
        long v = version(3, 1, 1);
        receive(puts(A, 1, v, spec("p"), ref("p", A, 1)));
        receive(new RegistryDelta(A, 2, version(3, 2, 1), 0, new Object[] {spec("p"), ref("p", A, 1)}, new long[] {v, v},
            new String[0], new long[0], 1, 2));
        assertEquals(List.of("+p@a"), hooks);
        assertEquals(2, applier.applied(A));
    }

    /**
     * A read from the cache (a gap's or a digest check's) counts as "event not received" only the batches this node had
     * neither applied nor held. Before, the registry compared each read batch with the seq applied when the read
     * began: a batch held behind a gap (its event had come) and one whose event was applied while the read was under
     * way were counted too, and since their events never came again they were reported as lost (a false correction).
     */
    @Test
    void aReadCountsOnlyTheBatchesWhoseEventsHaveNotCome() {
        RegistryDelta first = puts(A, 1, version(3, 1, 1), spec("x"));
        RegistryDelta second = puts(A, 2, version(3, 2, 1), spec("y"));
        RegistryDelta third = puts(A, 3, version(3, 3, 1), spec("z"));
        RegistryDelta fourth = puts(A, 4, version(3, 4, 1), spec("w"));
        receive(first);
        receive(third); // held: 2 is missing
        List<Long> notReceived = new ArrayList<>();
        applier.receiveRead(List.of(first, second, third, fourth), new HashSet<>(), d -> notReceived.add(d.seq()));
        assertEquals(List.of(2L, 4L), notReceived);
        assertEquals(4, applier.applied(A));
        assertNotNull(index.get("w").spec());
    }
}
