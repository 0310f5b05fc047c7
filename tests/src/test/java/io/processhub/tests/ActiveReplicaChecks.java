package io.processhub.tests;

import io.processhub.ChildRef;
import io.processhub.ProcessHub;
import io.processhub.ReplicaRole;
import io.processhub.strategy.ConsistentHashing;
import io.processhub.strategy.Placement;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Whether an ACTIVE_PASSIVE hub has settled: on every node, each child has its replicas on its ring owners, one active. */
public final class ActiveReplicaChecks {
    private ActiveReplicaChecks() {
    }

    public static boolean settled(TestCluster cluster, String hubId, List<String> ids, int copies) {
        List<String> members = cluster.names();
        Placement ring = new ConsistentHashing().placement(members);
        int n = Math.min(copies, members.size());
        for (String node : members) {
            ProcessHub h = cluster.hub(node, hubId);
            for (String id : ids) {
                List<ChildRef> refs = h.refs(id);
                Set<String> nodes = refs.stream().map(ChildRef::node).collect(Collectors.toSet());
                if (refs.size() != n || !nodes.equals(Set.copyOf(ring.owners(id, n))))
                    return false;
                List<ChildRef> active = refs.stream().filter(r -> r.role() == ReplicaRole.ACTIVE).collect(Collectors.toList());
                if (active.size() != 1 || !active.get(0).node().equals(ring.owner(id)))
                    return false;
            }
        }
        return true;
    }
}
