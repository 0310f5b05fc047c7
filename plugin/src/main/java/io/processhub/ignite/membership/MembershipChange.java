package io.processhub.ignite.membership;

import io.processhub.ignite.HubContext;

import io.processhub.hook.Hook;
import io.processhub.hook.MembershipEvent;
import io.processhub.hook.RedistributionEvent;
import java.util.ArrayList;
import java.util.List;
import org.apache.ignite.cluster.ClusterNode;

/** Who joined and who left the hub between two memberships, and the hook events that say so. */
public final class MembershipChange {
    private final Membership next;
    private final List<ClusterNode> joined;
    private final List<ClusterNode> left;
    private final boolean failed;

    private MembershipChange(Membership next, List<ClusterNode> joined, List<ClusterNode> left, boolean failed) {
        this.next = next;
        this.joined = joined;
        this.left = left;
        this.failed = failed;
    }

    /** @param failed whether the discovery event was a failure (crash, network) rather than a clean leave. */
    public static MembershipChange between(Membership previous, Membership next, boolean failed) {
        List<ClusterNode> joined = new ArrayList<>();
        for (ClusterNode n : next.nodes())
            if (!previous.contains(n.id()))
                joined.add(n);
        List<ClusterNode> left = new ArrayList<>();
        for (ClusterNode n : previous.nodes())
            if (!next.contains(n.id()))
                left.add(n);
        return new MembershipChange(next, joined, left, failed);
    }

    public boolean isEmpty() {
        return joined.isEmpty() && left.isEmpty();
    }

    /** Fires one membership event per joined and per left node. */
    public void fire(HubContext hub, Hook joinHook, Hook leaveHook) {
        for (ClusterNode n : joined)
            hub.hooks.fire(joinHook, () -> new MembershipEvent(joinHook, hub.hubId, hub.localName,
                Membership.nameOf(n), n.id(), false));
        for (ClusterNode n : left)
            hub.hooks.fire(leaveHook, () -> new MembershipEvent(leaveHook, hub.hubId, hub.localName,
                Membership.nameOf(n), n.id(), failed));
    }

    public RedistributionEvent redistributionEvent(HubContext hub, Hook hook) {
        return new RedistributionEvent(hook, hub.hubId, hub.localName, next.topologyVersion(), next.memberNames(),
            names(joined), names(left));
    }

    private static List<String> names(List<ClusterNode> nodes) {
        List<String> res = new ArrayList<>(nodes.size());
        for (ClusterNode n : nodes)
            res.add(Membership.nameOf(n));
        return res;
    }
}
