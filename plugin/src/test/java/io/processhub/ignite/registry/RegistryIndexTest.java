package io.processhub.ignite.registry;

import io.processhub.ChildInfo;
import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import io.processhub.ReplicaRole;
import io.processhub.RestartPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The index's flat entries without Ignite: what goes in comes out equal (specs shared between children or not, one
 * replica or several, replaced and removed in any position), and the listener hears each change once.
 */
class RegistryIndexTest {
    private static final UUID A = UUID.randomUUID();
    private static final UUID B = UUID.randomUUID();
    private static final UUID C = UUID.randomUUID();
    private final RegistryIndex index = new RegistryIndex();
    private final List<String> heard = new ArrayList<>();
    private final RegistryIndex.ChangeListener listener = new RegistryIndex.ChangeListener() {
        @Override
        public void inserted(ChildRef ref) {
            heard.add("+" + ref);
        }

        @Override
        public void removed(ChildRef ref) {
            heard.add("-" + ref);
        }
    };
    private long version = 1 << 12;

    private void put(Object value) {
        index.put(value, version += 1 << 12, listener);
    }

    private static ChildRef ref(String id, UUID node, long incarnation, ReplicaRole role) {
        return new ChildRef("hub", id, node == A ? "a" : node == B ? "b" : "c", node, incarnation, role);
    }

    @Test
    void specsSharedBetweenChildrenOfAClassComeOutUnderEachChildsId() {
        ChildSpec x = ChildSpec.create("x", "app.Worker", List.of());
        ChildSpec y = ChildSpec.create("y", "app.Worker", List.of());
        ChildSpec z = ChildSpec.create("z", "app.Worker", List.of()).withRestart(RestartPolicy.TRANSIENT);
        ChildSpec withArgs = ChildSpec.create("w", "app.Worker", List.of(1, "two"), RestartPolicy.TEMPORARY, Map.of("k", "v"));
        for (ChildSpec s : List.of(x, y, z, withArgs))
            put(s);
        for (ChildSpec s : List.of(x, y, z, withArgs)) {
            RegistryIndex.Entry e = index.get(s.id());
            assertTrue(e.hasSpec());
            assertEquals(s, e.spec());
            assertEquals(s.id(), e.spec().id());
            assertEquals(0, e.refCount());
            assertEquals(new ChildInfo(s, List.of()).toString(), e.toInfo().toString());
        }
        assertEquals(4, index.specCount());
    }

    @Test
    void replicasKeepTheirOrderWhenReplacedAndRemovedInAnyPosition() {
        ChildRef a1 = ref("x", A, 1, ReplicaRole.ACTIVE);
        ChildRef b1 = ref("x", B, 1, ReplicaRole.PASSIVE);
        ChildRef c1 = ref("x", C, 1, ReplicaRole.PASSIVE);
        put(a1);
        put(b1);
        put(c1);
        RegistryIndex.Entry e = index.get("x");
        assertFalse(e.hasSpec());
        assertNull(e.spec());
        assertEquals(List.of(a1, b1, c1), e.refs());
        assertEquals(B, e.nodeIdAt(1));
        assertEquals(ReplicaRole.PASSIVE, e.roleAt(2));
        assertEquals(b1, e.refOn(B));

        ChildRef b2 = ref("x", B, 2, ReplicaRole.ACTIVE);
        put(b2);
        assertEquals(List.of(a1, b2, c1), index.get("x").refs());
        assertEquals(version, index.versionOf(b2));
        assertEquals(-1, index.versionOf(b1), "a removal naming the replaced ref removes nothing");

        index.remove(RegistryKeys.replicaKey("x", A), version, listener);
        assertEquals(List.of(b2, c1), index.get("x").refs(), "the second replica is now the first, inline");
        assertFalse(index.get("x").hasRefOn(A));
        index.remove(RegistryKeys.replicaKey("x", C), version, listener);
        index.remove(RegistryKeys.replicaKey("x", B), version, listener);
        assertNull(index.get("x"), "an entry without spec and replicas is gone");
        assertEquals(List.of("+" + a1, "+" + b1, "+" + c1, "+" + b2, "-" + a1, "-" + c1, "-" + b2), heard);
    }

    @Test
    void theSameRefPutAgainAtANewerVersionIsNotHeardTwice() {
        ChildRef a1 = ref("x", A, 1, ReplicaRole.ACTIVE);
        put(a1);
        put(ref("x", A, 1, ReplicaRole.ACTIVE));
        assertEquals(List.of("+" + a1), heard);
        assertEquals(version, index.versionOf(a1));
        put(a1.withRole(ReplicaRole.PASSIVE));
        assertEquals(List.of(a1.withRole(ReplicaRole.PASSIVE)), index.get("x").refs());
        assertEquals(2, heard.size(), "a role change is a change");
    }

    @Test
    void aSnapshotOfAWriterReturnsWhatItWrote() {
        ChildSpec s = ChildSpec.create("x", "app.Worker", List.of());
        ChildRef a1 = ref("x", A, 1, ReplicaRole.ACTIVE);
        put(s);
        put(a1);
        Map<String, Object> values = new java.util.HashMap<>();
        Map<String, Long> versions = new java.util.HashMap<>();
        index.writtenBy(0, bits -> false, values, versions);
        assertEquals(Map.of("x", s, RegistryKeys.replicaKey("x", A), a1), values);
    }

    @Test
    void aSpecRemovalIsRememberedWithWhenItWasSeenAndAReplayDoesNotMoveThatTime() {
        put(ChildSpec.create("x", "app.Worker", List.of()));
        assertEquals(0, index.specRemovalSeenAt("x"));
        long before = System.currentTimeMillis();
        index.remove("x", version += 1 << 12, listener);
        long seen = index.specRemovalSeenAt("x");
        assertTrue(seen >= before, "seen now: " + seen);
        index.remove(RegistryKeys.replicaKey("y", A), version, listener);
        assertEquals(0, index.specRemovalSeenAt("y"), "a replica's removal is not a spec's");
        index.remove("x", version, listener); // the same removal again, from a snapshot
        assertEquals(seen, index.specRemovalSeenAt("x"));
    }
}
