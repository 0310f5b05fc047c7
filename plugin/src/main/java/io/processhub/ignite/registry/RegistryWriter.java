package io.processhub.ignite.registry;

import io.processhub.ignite.HubContext;

import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.lang.IgniteFuture;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The one way into the registry cache: every write of the hub goes through here, named by what it means. Two rules
 * hold for all of them:
 * <ul>
 * <li><b>The quorum fence.</b> While this side has no quorum ({@link #quorumLost}) nothing is written. A write issued
 * before the verdict can still be in flight after it (a {@code putAll} waits for the primaries on the side that is
 * gone, and is remapped onto this side's topology once they are declared failed). So a write that finishes on a
 * topology the loop has not yet ruled on waits for that verdict, and if quorum was lost since it was issued, the
 * replica entries it put are withdrawn (compare-and-set: a newer value stays). What may still land after the verdict:
 * spec entries (the desired state, equal to what the user asked for; a side without quorum does not act on it) and
 * removals.</li>
 * <li><b>Compare-and-set for other nodes' entries.</b> A replica entry has one writer, the node that runs it. Another
 * node removes one (a stop request for a child running nowhere, the oldest member cleaning up after dead nodes) only
 * if it still holds the exact value that node saw, so a newer registration by the owner is never removed.</li>
 * </ul>
 * Writes are batched and asynchronous; each completes once the cache acknowledged it (and the fence settled it).
 * Issued on the hub loop; completions come back on Ignite's threads. After the registry closed, nothing is written.
 */
public final class RegistryWriter {
    private static final Logger LOG = LogManager.getLogger(RegistryWriter.class);
    /** Largest number of entries in one cache call; bigger batches are split. */
    private static final int CHUNK = 4096;
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

    // ---------------------------------------------------------------- this node's own entries

    /** Children started here: their specs and their replicas on this node. */
    public CompletableFuture<Void> registerStarted(Collection<ChildSpec> specs, Collection<ChildRef> refs) {
        return putOwn("registering started children", specs, refs);
    }

    /** A replica here changed (restarted, or a new role): its entry again. */
    public CompletableFuture<Void> reregister(ChildRef ref) {
        Batch b = new Batch();
        b.putRef(ref);
        return issue("registering a replica again", b);
    }

    /** What a full pass found missing for children running here: their specs, their replicas' current refs. */
    public CompletableFuture<Void> repair(Collection<ChildSpec> specs, Collection<ChildRef> refs) {
        return putOwn("repairing entries of children running here", specs, refs);
    }

    /** Specs and this node's replica refs, in one write. */
    private CompletableFuture<Void> putOwn(String what, Collection<ChildSpec> specs, Collection<ChildRef> refs) {
        Batch b = new Batch();
        for (ChildSpec s : specs)
            b.puts.put(s.id(), s);
        refs.forEach(b::putRef);
        return issue(what, b);
    }

    /** Replicas that no longer run here (moved away, stopped, never started): their entries of this node. */
    public CompletableFuture<Void> unregisterOwn(Collection<String> childIds) {
        Batch b = new Batch();
        for (String id : childIds)
            b.removes.add(RegistryKeys.replicaKey(id, hub.localNodeId));
        return issue("unregistering replicas of this node", b);
    }

    /** Children that will not run again (stopped, exited, given up): their specs and their replicas on this node. */
    public CompletableFuture<Void> retire(Collection<String> childIds) {
        Batch b = new Batch();
        for (String id : childIds) {
            b.removes.add(id);
            b.removes.add(RegistryKeys.replicaKey(id, hub.localNodeId));
        }
        return issue("retiring children", b);
    }

    // ---------------------------------------------------------------- entries of other nodes (compare-and-set)

    /**
     * Children asked to stop that run nowhere (their replica is being restarted, or its node is gone): their specs,
     * and every replica entry this node's registry copy lists for them, each only while it still holds that value.
     */
    public CompletableFuture<Void> retireEverywhere(Collection<String> childIds) {
        Batch b = new Batch();
        for (String id : childIds) {
            b.removes.add(id);
            b.removes.add(RegistryKeys.replicaKey(id, hub.localNodeId));
            RegistryIndex.Entry e = hub.index.get(id);
            if (e != null)
                for (ChildRef r : e.refs)
                    if (!r.nodeId().equals(hub.localNodeId))
                        b.removeIfUnchanged.put(RegistryKeys.replicaKey(id, r.nodeId()), r);
        }
        return issue("retiring children running nowhere", b);
    }

    /** Replica entries of other nodes (nodes that left), each removed only while it still holds the ref seen. */
    public CompletableFuture<Void> removeReplicasOf(Collection<ChildRef> refs) {
        Batch b = new Batch();
        for (ChildRef r : refs)
            b.removeIfUnchanged.put(RegistryKeys.replicaKey(r.childId(), r.nodeId()), r);
        return issue("removing entries of nodes that left", b);
    }

    // ---------------------------------------------------------------- the one write

    /** One write: puts, plain removals (this node's keys, specs), removals of exact values (other nodes' keys). */
    private static final class Batch {
        public final Map<String, Object> puts = new HashMap<>();
        public final Set<String> removes = new HashSet<>();
        public final Map<String, Object> removeIfUnchanged = new HashMap<>();

        public void putRef(ChildRef ref) {
            puts.put(RegistryKeys.replicaKey(ref.childId(), ref.nodeId()), ref);
        }

        public int size() {
            return puts.size() + removes.size() + removeIfUnchanged.size();
        }

        /** The replica entries this batch puts: what a withdrawal removes again. */
        public Map<String, Object> replicaPuts() {
            Map<String, Object> res = new HashMap<>();
            puts.forEach((k, v) -> {
                if (RegistryKeys.isReplicaKey(k))
                    res.put(k, v);
            });
            return res;
        }
    }

    private CompletableFuture<Void> issue(String what, Batch b) {
        if (b.size() == 0 || registry.isClosed())
            return CompletableFuture.completedFuture(null);
        if (fenced) {
            LOG.debug("Hub {} on {}: not {} ({} entries): this side has no quorum", hub.hubId, hub.localName, what, b.size());
            return CompletableFuture.completedFuture(null);
        }
        long issuedLosses = losses;
        long issuedAt = hub.membership().topologyVersion();
        IgniteCache<String, Object> cache = registry.cache();
        List<CompletableFuture<Void>> parts = new ArrayList<>();
        try {
            for (Map<String, Object> chunk : chunks(b.puts))
                parts.add(toFuture(cache.putAllAsync(chunk)));
            for (Set<String> chunk : chunks(b.removes))
                parts.add(toFuture(cache.removeAllAsync(chunk)));
            for (Map<String, Object> chunk : chunks(b.removeIfUnchanged))
                parts.add(toFuture(cache.invokeAllAsync(processors(chunk))));
        }
        catch (RuntimeException e) {
            parts.add(CompletableFuture.failedFuture(e)); // the node is stopping
        }
        CompletableFuture<Void> written = CompletableFuture.allOf(parts.toArray(new CompletableFuture[0]));
        Map<String, Object> refs = b.replicaPuts();
        if (refs.isEmpty())
            return written; // nothing a lost quorum would have to take back
        CompletableFuture<Void> done = new CompletableFuture<>();
        written.whenComplete((v, err) -> {
            long completedAt = currentTopologyVersion();
            if (completedAt <= issuedAt && issuedLosses == losses)
                finish(done, err); // landed under the verdict it was issued with
            else if (!hub.loop.execute(() -> settle(refs, issuedLosses, completedAt, 0, done, err)))
                finish(done, err);
        });
        return done;
    }

    /**
     * A write finished on a topology newer than the one it was issued on: once the loop has taken the verdict for that
     * topology, withdraw what it put if quorum was lost since it was issued. Loop only.
     */
    private void settle(Map<String, Object> refs, long issuedLosses, long completedAt, int polls, CompletableFuture<Void> done,
        Throwable err) {
        if (hub.membership().topologyVersion() < completedAt && polls < VERDICT_POLLS && !registry.isClosed()) {
            try {
                hub.timer.schedule(() -> {
                    if (!hub.loop.execute(() -> settle(refs, issuedLosses, completedAt, polls + 1, done, err)))
                        finish(done, err);
                }, VERDICT_POLL_MILLIS, TimeUnit.MILLISECONDS);
            }
            catch (RejectedExecutionException e) {
                finish(done, err);
            }
            return;
        }
        if (issuedLosses != losses)
            withdraw(refs);
        finish(done, err);
    }

    /** Takes back replica entries written by a write that was still in flight when quorum was lost. */
    private void withdraw(Map<String, Object> refs) {
        if (registry.isClosed())
            return;
        LOG.info("Hub {} on {}: withdrawing {} replica entries whose registration was in flight when quorum was lost",
            hub.hubId, hub.localName, refs.size());
        try {
            for (Map<String, Object> chunk : chunks(refs))
                toFuture(registry.cache().invokeAllAsync(processors(chunk))).whenComplete((v, err) -> {
                    if (err != null)
                        LOG.debug("Hub {} on {}: withdrawal not finished", hub.hubId, hub.localName, err);
                });
        }
        catch (RuntimeException e) {
            LOG.debug("Hub {} on {}: withdrawal not issued (the node is stopping?)", hub.hubId, hub.localName, e);
        }
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

    private static Map<String, RemoveIfUnchanged> processors(Map<String, Object> expected) {
        Map<String, RemoveIfUnchanged> res = new HashMap<>();
        expected.forEach((k, v) -> res.put(k, new RemoveIfUnchanged(v)));
        return res;
    }

    private static <V> List<Map<String, V>> chunks(Map<String, V> all) {
        List<Map<String, V>> res = new ArrayList<>();
        Map<String, V> chunk = new HashMap<>();
        for (Map.Entry<String, V> e : all.entrySet()) {
            chunk.put(e.getKey(), e.getValue());
            if (chunk.size() == CHUNK) {
                res.add(chunk);
                chunk = new HashMap<>();
            }
        }
        if (!chunk.isEmpty())
            res.add(chunk);
        return res;
    }

    private static List<Set<String>> chunks(Set<String> all) {
        List<Set<String>> res = new ArrayList<>();
        Set<String> chunk = new HashSet<>();
        for (String k : all) {
            chunk.add(k);
            if (chunk.size() == CHUNK) {
                res.add(chunk);
                chunk = new HashSet<>();
            }
        }
        if (!chunk.isEmpty())
            res.add(chunk);
        return res;
    }

    private static CompletableFuture<Void> toFuture(IgniteFuture<?> f) {
        CompletableFuture<Void> res = new CompletableFuture<>();
        f.listen(done -> {
            try {
                done.get();
                res.complete(null);
            }
            catch (RuntimeException e) {
                res.completeExceptionally(e);
            }
        });
        return res;
    }
}
