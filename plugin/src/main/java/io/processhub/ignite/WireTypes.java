package io.processhub.ignite;

import io.processhub.ChildError;
import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import io.processhub.ReplicaRole;
import io.processhub.RestartPolicy;
import io.processhub.StartOptions;
import io.processhub.StopReason;
import io.processhub.ignite.antientropy.GossipDigest;
import io.processhub.ignite.checkpoint.CheckpointRecord;
import io.processhub.ignite.checkpoint.CheckpointUpdate;
import io.processhub.ignite.registry.RegistryDelta;
import io.processhub.ignite.transport.Messages;
import java.util.ArrayList;
import java.util.List;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteException;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Registers with Ignite's marshaller every class the hubs send between nodes or keep in their caches. The first time
 * a class is marshalled anywhere in a cluster, Ignite agrees on its type id and schema over discovery, and the sending
 * thread waits for that round trip (100–150 ms measured with five nodes in one JVM). Unregistered, that wait landed on
 * the first message of each kind: a planned join's first role release reached the new node ~130 ms late, with no
 * active replica meanwhile. Registered once when a node starts, off its start path; a class the cluster already knows
 * costs a local lookup. Joining nodes receive the mappings with the discovery data.
 */
final class WireTypes {
    private static final Logger LOG = LogManager.getLogger(WireTypes.class);

    private WireTypes() {
    }

    static List<Class<?>> all() {
        List<Class<?>> types = new ArrayList<>();
        for (Class<?> message : Messages.class.getDeclaredClasses())
            addWithNested(message, types);
        addWithNested(ChildError.class, types);
        addWithNested(StartOptions.class, types);
        types.add(ChildSpec.class);
        types.add(ChildRef.class);
        types.add(ReplicaRole.class);
        types.add(RestartPolicy.class);
        types.add(StopReason.class);
        types.add(RegistryDelta.class);
        types.add(GossipDigest.class);
        types.add(CheckpointRecord.class);
        addWithNested(CheckpointUpdate.class, types);
        return types;
    }

    private static void addWithNested(Class<?> type, List<Class<?>> into) {
        into.add(type);
        for (Class<?> nested : type.getDeclaredClasses())
            addWithNested(nested, into);
    }

    static void register(Ignite ignite) {
        for (Class<?> type : all()) {
            try {
                ignite.binary().registerClass(type);
            }
            catch (IgniteException e) {
                // Only a wait saved: the class is registered anyway the first time it is sent.
                LOG.debug("Could not register {} with the marshaller ahead of use", type.getName(), e);
            }
        }
    }
}
