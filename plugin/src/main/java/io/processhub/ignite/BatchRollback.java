package io.processhub.ignite;

import io.processhub.ignite.membership.Membership;
import io.processhub.ignite.registry.Visibility;
import io.processhub.ignite.transport.AbortCollector;
import io.processhub.ignite.transport.Messages;
import io.processhub.ignite.transport.PendingRequests;
import io.processhub.ignite.transport.Transport;

import io.processhub.ChildError;
import io.processhub.ChildRef;
import io.processhub.StartResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.ignite.cluster.ClusterNode;

/**
 * The caller's side of a ROLLBACK batch that failed: the abort goes to every member (a start may have been
 * forwarded anywhere, or still be on its way), each stops and unregisters what the batch started there and refuses
 * what of it arrives later. Completes once every member answered or the timeout ran out, and this node's registry
 * copy no longer lists the children confirmed stopped.
 */
final class BatchRollback {
    private final HubContext hub;
    private final Transport transport;
    private final PendingRequests pending;
    private final Visibility visibility;

    BatchRollback(HubContext hub, Transport transport, PendingRequests pending, Visibility visibility) {
        this.hub = hub;
        this.transport = transport;
        this.pending = pending;
        this.visibility = visibility;
    }

    /**
     * @param batchId the request id the batch's start requests carried
     * @param sentTo the nodes they were sent to (members of the caller's membership, unless it changed since)
     */
    CompletableFuture<StartResult> run(long batchId, Set<UUID> sentTo, StartResult collected, Duration timeout) {
        Map<UUID, String> targets = new LinkedHashMap<>();
        for (ClusterNode n : hub.membership().nodes())
            targets.put(n.id(), Membership.nameOf(n));
        for (UUID node : sentTo) {
            ClusterNode n = hub.ignite.cluster().node(node);
            if (n != null)
                targets.putIfAbsent(node, Membership.nameOf(n));
        }
        AbortCollector collector = new AbortCollector();
        targets.values().forEach(collector::expect);
        long requestId = pending.register(collector, timeout);
        targets.forEach((node, name) -> {
            if (!transport.request(node, new Messages.AbortStart(requestId, hub.localNodeId, batchId)))
                collector.fail(List.of(name), ChildError.Reason.NODE_TIMEOUT, "left"); // gone: nothing of the batch runs there
        });
        collector.sent();
        return collector.done.thenCompose(stopped -> visibility.specsGone(stopped).thenApply(v -> result(collected, stopped)));
    }

    /** One answer per child: the errors as collected, and for each child that had started ROLLED_BACK. */
    private static StartResult result(StartResult collected, Set<String> stopped) {
        List<ChildError> errors = new ArrayList<>(collected.errors());
        Set<String> answered = new HashSet<>();
        for (ChildError e : errors)
            answered.add(e.childId());
        for (ChildRef r : collected.started()) {
            if (!answered.add(r.childId()))
                continue;
            if (stopped.contains(r.childId()))
                errors.add(new ChildError(r.childId(), r.node(), ChildError.Reason.ROLLED_BACK,
                    "started, then stopped and unregistered because the batch failed and asked for ROLLBACK"));
            else
                errors.add(new ChildError(r.childId(), r.node(), ChildError.Reason.NODE_TIMEOUT, "started, then the batch "
                    + "failed and asked for ROLLBACK; " + r.node() + " did not confirm the stop in time, it stops the child "
                    + "when the rollback reaches it"));
        }
        return new StartResult(List.of(), errors, true);
    }
}
