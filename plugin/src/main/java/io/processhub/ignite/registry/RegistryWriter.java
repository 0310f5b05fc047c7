package io.processhub.ignite.registry;

import io.processhub.ignite.HubContext;

import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The one way into the registry: every write of the hub goes through here, named by what it means, and leaves as a
 * change in this node's next batch ({@link DeltaPublisher}). Two rules hold for all of them:
 * <ul>
 * <li><b>The quorum fence.</b> While this side has no quorum ({@link #quorumLost}) nothing is written. A write issued
 * before the verdict can still be in flight after it (a {@code putAll} waits for the primaries on the side that is
 * gone, and is remapped onto this side's topology once they are declared failed). So a write that finishes on a
 * topology the loop has not yet ruled on waits for that verdict, and if quorum was lost since it was issued, the
 * refs it put are withdrawn (removed up to the version they were written at: a newer registration stays). What may
 * still land after the verdict: specs (the desired state, equal to what the user asked for; a side without quorum
 * does not act on it) and removals.</li>
 * <li><b>Exact versions for other nodes' records.</b> A replica's ref has one writer, the node that runs it. Another
 * node removes one (a stop request for a child running nowhere, the oldest member cleaning up after dead nodes) only
 * at the version it saw, so a newer registration by the owner is never removed.</li>
 * </ul>
 * Writes are batched and asynchronous; each completes once the cache acknowledged its batches (and the fence settled it).
 * Issued on the hub loop; completions come back on Ignite's threads. After the registry closed, nothing is written.
 */
public final class RegistryWriter {
    private static final Logger LOG = LogManager.getLogger(RegistryWriter.class);
    /** A write finished on a topology the loop has not ruled on yet: look again this often, at most this many times. */
    private static final long VERDICT_POLL_MILLIS = 10;
    private static final int VERDICT_POLLS = 500;

    private final HubContext hub;
    private final Registry registry;
    /** Whether this side lacks quorum: then nothing is written. */
    private volatile boolean fenced;
    /** Quorum losses so far (written on the loop only): a write issued before one is withdrawn when it finishes. */
    private volatile long losses;

    RegistryWriter(HubContext hub, Registry registry) {
        this.hub = hub;
        this.registry = registry;
    }

    // ---------------------------------------------------------------- the quorum fence (loop only)

    /** This side lost quorum: from now on nothing is written, and writes still in flight are withdrawn. */
    public void quorumLost() {
        losses++;
        fenced = true;
    }

    public void quorumRegained() {
        fenced = false;
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
        if (fenced) {
            LOG.debug("Hub {} on {}: not {} ({} changes): this side has no quorum", hub.hubId, hub.localName, what, c.size());
            return CompletableFuture.completedFuture(null);
        }
        long issuedLosses = losses;
        long issuedAt = hub.membership().topologyVersion();
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
            long completedAt = currentTopologyVersion();
            if (completedAt <= issuedAt && issuedLosses == losses)
                finish(done, err); // landed under the verdict it was issued with
            else if (!hub.loop.execute(() -> settle(refKeys, version == null ? 0 : version, issuedLosses, completedAt, 0, done, err)))
                finish(done, err);
        });
        return done;
    }

    /**
     * A write finished on a topology newer than the one it was issued on: once the loop has taken the verdict for that
     * topology, withdraw the refs it put if quorum was lost since it was issued. Loop only.
     */
    private void settle(List<String> refKeys, long version, long issuedLosses, long completedAt, int polls,
        CompletableFuture<Void> done, Throwable err) {
        if (hub.membership().topologyVersion() < completedAt && polls < VERDICT_POLLS && !registry.isClosed()) {
            try {
                hub.timer.schedule(() -> {
                    if (!hub.loop.execute(() -> settle(refKeys, version, issuedLosses, completedAt, polls + 1, done, err)))
                        finish(done, err);
                }, VERDICT_POLL_MILLIS, TimeUnit.MILLISECONDS);
            }
            catch (RejectedExecutionException e) {
                finish(done, err);
            }
            return;
        }
        if (issuedLosses != losses && err == null)
            withdraw(refKeys, version);
        finish(done, err);
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

    private long currentTopologyVersion() {
        try {
            return hub.ignite.cluster().topologyVersion();
        }
        catch (RuntimeException e) {
            return Long.MAX_VALUE; // the node is stopping: settle, which finishes at once
        }
    }

    private static void finish(CompletableFuture<Void> done, Throwable err) {
        if (err == null)
            done.complete(null);
        else
            done.completeExceptionally(err);
    }
}
