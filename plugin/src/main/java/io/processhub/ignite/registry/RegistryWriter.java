package io.processhub.ignite.registry;

import io.processhub.ignite.HubContext;
import io.processhub.ignite.membership.QuorumFence;

import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The one way into the registry: every write of the hub goes through here, named by what it means, and leaves as a
 * change in this node's next batch ({@link DeltaPublisher}). Two rules hold for all of them:
 * <ul>
 * <li><b>The quorum fence</b> ({@link QuorumFence}). While this side has no quorum nothing is written. A write that
 * was in flight when quorum was lost has the refs it put withdrawn (removed up to the version they were written at:
 * a newer registration stays). What may still land after the verdict: specs (the desired state, equal to what the
 * user asked for; a side without quorum does not act on it) and removals.</li>
 * <li><b>Exact versions for other nodes' records.</b> A replica's ref has one writer, the node that runs it. Another
 * node removes one (a stop request for a child running nowhere, the oldest member cleaning up after dead nodes) only
 * at the version it saw, so a newer registration by the owner is never removed.</li>
 * </ul>
 * Writes are batched and asynchronous; each completes once the cache acknowledged its batches (and the fence settled it).
 * Issued on the hub loop; completions come back on Ignite's threads. After the registry closed, nothing is written.
 */
public final class RegistryWriter {
    private static final Logger LOG = LogManager.getLogger(RegistryWriter.class);

    private final HubContext hub;
    private final Registry registry;

    RegistryWriter(HubContext hub, Registry registry) {
        this.hub = hub;
        this.registry = registry;
    }

    // ---------------------------------------------------------------- this node's own records

    /** Children started here: their replicas on this node, and the specs of those a request started here. */
    public CompletableFuture<Void> registerStarted(Collection<ChildSpec> specs, Collection<ChildRef> refs) {
        return putOwn("registering started children", specs, refs);
    }

    /** A replica here changed (restarted, or a new role): its ref again. */
    public CompletableFuture<Void> reregister(ChildRef ref) {
        return putOwn("registering a replica again", List.of(), List.of(ref));
    }

    /** What a full pass found missing for children running here: their specs, their replicas' current refs. */
    public CompletableFuture<Void> repair(Collection<ChildSpec> specs, Collection<ChildRef> refs) {
        return putOwn("repairing records of children running here", specs, refs);
    }

    /** Specs and this node's replica refs, in one write. */
    private CompletableFuture<Void> putOwn(String what, Collection<ChildSpec> specs, Collection<ChildRef> refs) {
        DeltaPublisher.Changes c = new DeltaPublisher.Changes();
        for (ChildSpec s : specs)
            c.put(s, DeltaPublisher.BATCH_VERSION);
        for (ChildRef r : refs)
            c.put(r, DeltaPublisher.BATCH_VERSION);
        return issue(what, c);
    }

    /** Replicas that no longer run here (moved away, stopped, never started): their refs on this node. */
    public CompletableFuture<Void> unregisterOwn(Collection<String> childIds) {
        DeltaPublisher.Changes c = new DeltaPublisher.Changes();
        for (String id : childIds)
            c.remove(RegistryKeys.replicaKey(id, hub.localNodeId), DeltaPublisher.BATCH_VERSION);
        return issue("unregistering replicas of this node", c);
    }

    /** Children that will not run again (stopped, exited, given up): their specs and their replicas on this node. */
    public CompletableFuture<Void> retire(Collection<String> childIds) {
        DeltaPublisher.Changes c = new DeltaPublisher.Changes();
        for (String id : childIds)
            retireHere(c, id);
        return issue("retiring children", c);
    }

    /** The child's spec and this node's replica, removed. */
    private void retireHere(DeltaPublisher.Changes c, String childId) {
        c.remove(childId, DeltaPublisher.BATCH_VERSION);
        c.remove(RegistryKeys.replicaKey(childId, hub.localNodeId), DeltaPublisher.BATCH_VERSION);
    }

    // ---------------------------------------------------------------- records of other nodes (exact versions)

    /**
     * Children asked to stop that run nowhere (their replica is being restarted, or its node is gone): their specs,
     * and every replica this node's registry copy lists for them, each only at the version seen here.
     */
    public CompletableFuture<Void> retireEverywhere(Collection<String> childIds) {
        DeltaPublisher.Changes c = new DeltaPublisher.Changes();
        for (String id : childIds) {
            retireHere(c, id);
            RegistryIndex.Entry e = hub.index.get(id);
            if (e != null)
                for (ChildRef r : e.refs())
                    if (!r.nodeId().equals(hub.localNodeId))
                        removeSeen(c, r);
        }
        return issue("retiring children running nowhere", c);
    }

    /** Replicas of other nodes (nodes that left), each removed only at the version seen here. */
    public CompletableFuture<Void> removeReplicasOf(Collection<ChildRef> refs) {
        DeltaPublisher.Changes c = new DeltaPublisher.Changes();
        for (ChildRef r : refs)
            removeSeen(c, r);
        return issue("removing replicas of nodes that left", c);
    }

    private void removeSeen(DeltaPublisher.Changes c, ChildRef r) {
        long seen = hub.index.versionOf(r);
        if (seen > 0)
            c.remove(RegistryKeys.replicaKey(r.childId(), r.nodeId()), seen);
    }

    // ---------------------------------------------------------------- the one write

    private CompletableFuture<Void> issue(String what, DeltaPublisher.Changes c) {
        if (c.size() == 0 || registry.isClosed())
            return CompletableFuture.completedFuture(null);
        if (hub.fence.isFenced()) {
            LOG.debug("Hub {} on {}: not {} ({} changes): this side has no quorum", hub.hubId, hub.localName, what, c.size());
            return CompletableFuture.completedFuture(null);
        }
        QuorumFence.Ticket ticket = hub.fence.issue();
        List<String> refKeys = new ArrayList<>();
        c.puts.forEach((k, v) -> {
            if (v instanceof ChildRef)
                refKeys.add(k);
        });
        CompletableFuture<Long> written = registry.publisher().publish(c);
        CompletableFuture<Void> done = new CompletableFuture<>();
        written.whenComplete((version, err) -> {
            if (refKeys.isEmpty()) {
                finish(done, err); // nothing a lost quorum would have to take back
                return;
            }
            hub.fence.settle(ticket, lostMeanwhile -> {
                if (lostMeanwhile && err == null)
                    withdraw(refKeys, version == null ? 0 : version);
                finish(done, err);
            });
        });
        return done;
    }

    /**
     * Takes back refs written by a write that was still in flight when quorum was lost: removed up to the version they
     * were written at, so a later registration stays. The one write allowed through the fence.
     */
    private void withdraw(List<String> refKeys, long version) {
        if (registry.isClosed())
            return;
        LOG.info("Hub {} on {}: withdrawing {} replica records whose registration was in flight when quorum was lost",
            hub.hubId, hub.localName, refKeys.size());
        DeltaPublisher.Changes c = new DeltaPublisher.Changes();
        for (String k : refKeys)
            c.remove(k, version);
        registry.publisher().publish(c).whenComplete((v, e) -> {
            if (e != null)
                LOG.debug("Hub {} on {}: withdrawal not written (the node is stopping?)", hub.hubId, hub.localName, e);
        });
    }

    private static void finish(CompletableFuture<Void> done, Throwable err) {
        if (err == null)
            done.complete(null);
        else
            done.completeExceptionally(err);
    }
}
