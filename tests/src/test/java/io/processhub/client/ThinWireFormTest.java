package io.processhub.client;

import io.processhub.ChildError;
import io.processhub.ChildInfo;
import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import io.processhub.HubConfiguration;
import io.processhub.ProcessHubException;
import io.processhub.ReplicaRole;
import io.processhub.RestartPolicy;
import io.processhub.StartOptions;
import io.processhub.StartResult;
import io.processhub.StopResult;
import io.processhub.examples.LocalNode;
import io.processhub.tests.TestCluster;
import io.processhub.tests.children.ProbeChild;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.ignite.Ignite;
import org.apache.ignite.Ignition;
import org.apache.ignite.binary.BinaryObject;
import org.apache.ignite.client.IgniteClient;
import org.apache.ignite.configuration.ClientConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The compact forms of a thin client's start ({@link SpecBatch}, {@link StartBatchResult}) through Ignite's own binary
 * marshaller on a real node, and through a real thin client: every field comes back as it went, and data the reader
 * cannot read is a typed error, not a failure inside Ignite.
 */
class ThinWireFormTest {
    private static final String HUB = "wire";

    private static TestCluster cluster;
    private static Ignite node;
    private static IgniteClient client;

    @BeforeAll
    static void startNodeAndClient() {
        cluster = new TestCluster(() -> new HubConfiguration[] {new HubConfiguration(HUB)});
        node = cluster.start("w");
        int port = TestCluster.PORT_BASE + 2 * LocalNode.MAX_NODES;
        client = Ignition.startClient(new ClientConfiguration()
            .setAddresses("127.0.0.1:" + port + ".." + (port + LocalNode.MAX_NODES - 1)));
    }

    @AfterAll
    static void stopAll() throws Exception {
        if (client != null)
            client.close();
        cluster.close();
    }

    /** The object as another JVM reads it: written to Ignite's binary form and read back. */
    private static <T> T throughTheMarshaller(T obj) {
        BinaryObject binary = node.binary().toBinary(obj);
        return binary.deserialize();
    }

    /** A plain class as a constructor argument: it must come back as an equal object. */
    public static final class Point {
        private int x;
        private String label;

        public Point(int x, String label) {
            this.x = x;
            this.label = label;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Point && ((Point)o).x == x && ((Point)o).label.equals(label);
        }

        @Override
        public int hashCode() {
            return x;
        }
    }

    @Test
    void aSpecBatchCarriesEveryFieldOfEverySpecAndKeepsNullsInPlace() {
        List<ChildSpec> specs = new ArrayList<>();
        specs.add(ChildSpec.of("plain", "com.acme.Worker"));
        specs.add(ChildSpec.create("args", "com.acme.Worker", List.of("text", 42, 7L, List.of("a", "b"), new Point(3, "p")),
            RestartPolicy.TRANSIENT, Map.of("tag", "eu", "owner", "ops")));
        specs.add(ChildSpec.of("temporary", "com.acme.Other", (Object)null).withRestart(RestartPolicy.TEMPORARY));
        specs.add(null);
        specs.add(ChildSpec.of(null, "com.acme.NoId"));
        specs.add(ChildSpec.of("", (String)null));

        List<ChildSpec> back = throughTheMarshaller(new SpecBatch(specs)).specs();

        assertEquals(specs.size(), back.size());
        for (int i = 0; i < specs.size(); i++) {
            ChildSpec sent = specs.get(i), got = back.get(i);
            if (sent == null) {
                assertNull(got, "spec " + i);
                continue;
            }
            assertEquals(sent.id(), got.id(), "spec " + i);
            assertEquals(sent.className(), got.className(), "spec " + i);
            assertEquals(Arrays.asList(sent.args()), Arrays.asList(got.args()), "spec " + i);
            assertEquals(sent.restart(), got.restart(), "spec " + i);
            assertEquals(sent.metadata(), got.metadata(), "spec " + i);
        }
    }

    @Test
    void aStartBatchResultCarriesEveryRefAndEveryErrorField() {
        UUID n1 = UUID.randomUUID(), n2 = UUID.randomUUID();
        List<ChildRef> started = List.of(
            new ChildRef(HUB, "c1", "node-1", n1, 1, ReplicaRole.ACTIVE),
            new ChildRef(HUB, "c2", "node-2", n2, 7, ReplicaRole.ACTIVE),
            new ChildRef(HUB, "c2", "node-1", n1, 7, ReplicaRole.PASSIVE),
            new ChildRef("other-hub", "c3", "node-1", n1, Long.MAX_VALUE, ReplicaRole.ACTIVE),
            new ChildRef(HUB, "c4", "node-1-renamed", n1, 2, ReplicaRole.ACTIVE));
        ChildRef running = new ChildRef(HUB, "dup", "node-3", UUID.randomUUID(), 4, ReplicaRole.PASSIVE);
        List<ChildError> errors = new ArrayList<>();
        for (ChildError.Reason reason : ChildError.Reason.values())
            errors.add(new ChildError("e-" + reason, "node-2", reason, "because " + reason));
        errors.add(new ChildError("dup", "node-3", ChildError.Reason.ALREADY_STARTED, "running", running));
        errors.add(new ChildError(null, null, ChildError.Reason.INVALID_SPEC, null));

        for (boolean rolledBack : new boolean[] {false, true}) {
            StartResult sent = new StartResult(started, errors, rolledBack);
            StartResult got = throughTheMarshaller(new StartBatchResult(sent)).toStartResult();

            assertEquals(rolledBack, got.rolledBack());
            assertEquals(started.size(), got.started().size());
            for (int i = 0; i < started.size(); i++)
                assertSameRef(started.get(i), got.started().get(i));
            assertEquals(errors.size(), got.errors().size());
            for (int i = 0; i < errors.size(); i++) {
                ChildError s = errors.get(i), g = got.errors().get(i);
                assertEquals(s.childId(), g.childId());
                assertEquals(s.node(), g.node());
                assertEquals(s.reason(), g.reason());
                assertEquals(s.detail(), g.detail());
                if (s.existing() == null)
                    assertNull(g.existing());
                else
                    assertSameRef(s.existing(), g.existing());
            }
        }
    }

    private static void assertSameRef(ChildRef sent, ChildRef got) {
        assertEquals(sent, got); // hub, child, node id, incarnation, role
        assertEquals(sent.node(), got.node(), "consistent id of " + sent);
    }

    @Test
    void aBatchOfAnotherFormatIsABadArgumentNamingBothFormats() {
        ProcessHubService service = client.services().serviceProxy(ProcessHubService.NAME, ProcessHubService.class);

        ServiceReply<StartBatchResult> reply = service.startBatch(HUB,
            new SpecBatch(SpecBatch.FORMAT + 1, List.of(ChildSpec.of("never", ProbeChild.class.getName()))), 5_000, false,
            StartOptions.OnFailure.CONTINUE, new HashMap<>());

        assertEquals(ServiceReply.Failure.BAD_ARGUMENT, reply.failure(), reply.toString());
        assertTrue(reply.message().contains("format " + (SpecBatch.FORMAT + 1)), reply.message());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, reply::valueOrThrow);
        assertTrue(e.getMessage().contains("this server reads format " + SpecBatch.FORMAT), e.getMessage());
        assertTrue(cluster.hub("w", HUB).lookup("never").isEmpty());
    }

    @Test
    void aMissingBatchIsABadArgument() {
        ProcessHubService service = client.services().serviceProxy(ProcessHubService.NAME, ProcessHubService.class);

        ServiceReply<StartBatchResult> reply = service.startBatch(HUB, null, 5_000, false, StartOptions.OnFailure.CONTINUE,
            new HashMap<>());

        assertEquals(ServiceReply.Failure.BAD_ARGUMENT, reply.failure(), reply.toString());
        assertTrue(reply.message().contains("specs"), reply.message());
    }

    @Test
    void truncatedOrForeignDataIsKeptAsAProblemNotThrownInsideIgnite() {
        // Two counts and no raw data at all: what a writer that does not know the layout could send.
        BinaryObject foreign = node.binary().builder(SpecBatch.class.getName())
            .setField("format", SpecBatch.FORMAT).setField("count", 3).build();
        SpecBatch read = foreign.deserialize();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, read::specs);
        assertTrue(e.getMessage().startsWith("unreadable batch of child specs"), e.getMessage());

        BinaryObject negative = node.binary().builder(SpecBatch.class.getName())
            .setField("format", SpecBatch.FORMAT).setField("count", -1).build();
        SpecBatch neg = negative.deserialize();
        assertTrue(assertThrows(IllegalArgumentException.class, neg::specs).getMessage().contains("negative count"));
    }

    @Test
    void aReplyOfAnotherFormatIsAProcessHubExceptionSayingWhy() {
        StartResult res = new StartResult(List.of(), List.of(), false);

        StartBatchResult read = throughTheMarshaller(new StartBatchResult(StartBatchResult.FORMAT + 1, res));

        ProcessHubException e = assertThrows(ProcessHubException.class, read::toStartResult);
        assertTrue(e.getMessage().contains("this client reads format " + StartBatchResult.FORMAT), e.getMessage());
    }

    /**
     * Thin clients in other languages read the replies of {@code startChildren}, {@code stopChildren}, {@code lookup}
     * and {@code children} field by field: their lists must be Ignite collections of binary objects, not JDK
     * immutable collections, which Ignite writes with its Java-serialization fallback (opaque outside Java).
     */
    @Test
    void thePlainRepliesHoldCollectionsOfBinaryObjects() {
        ChildRef ref = new ChildRef(HUB, "c", "w", UUID.randomUUID(), 1, ReplicaRole.ACTIVE);
        ChildError err = new ChildError("d", "w", ChildError.Reason.NOT_FOUND, "none");
        BinaryObject start = node.binary().toBinary(new StartResult(List.of(ref), List.of(err), false));
        BinaryObject stop = node.binary().toBinary(new StopResult(Map.of("c", List.of("w")), List.of(err)));
        BinaryObject info = node.binary().toBinary(new ChildInfo(ChildSpec.of("c", "com.acme.Worker"), List.of(ref)));

        assertBinaryElements(start.field("started"));
        assertBinaryElements(start.field("errors"));
        assertBinaryElements(stop.field("errors"));
        assertBinaryElements(info.field("refs"));
        Map<?, ?> stopped = stop.field("stopped");
        assertEquals(Map.of("c", List.of("w")), new HashMap<>(stopped));
        assertTrue(stopped instanceof HashMap, "stopped is an Ignite map, not " + stopped.getClass());
    }

    private static void assertBinaryElements(Object field) {
        assertTrue(field instanceof Collection, "not a collection: " + field);
        for (Object e : (Collection<?>)field)
            assertTrue(e instanceof BinaryObject, "an element read as " + e.getClass().getName() + ", not as a binary object");
    }

    @Test
    void aStartThroughTheThinClientKeepsEverySpecFieldOnTheServer() throws Exception {
        try (ProcessHubClient hubs = ProcessHubClient.of(client)) {
            ChildSpec spec = ChildSpec.create("full", ProbeChild.class.getName(), List.of(), RestartPolicy.TRANSIENT,
                Map.of("tag", "eu"));

            StartResult res = hubs.hub(HUB).startChild(spec).get();

            assertTrue(res.isOk(), res.toString());
            assertEquals("w", res.started().get(0).node());
            assertEquals(node.cluster().localNode().id(), res.started().get(0).nodeId());
            ChildSpec onServer = cluster.hub("w", HUB).lookup("full").orElseThrow().spec();
            assertEquals(spec, onServer);
        }
    }
}
