package io.processhub.ignite.checkpoint;

import io.processhub.CheckpointConfiguration;
import io.processhub.HubAffinityFunction;
import io.processhub.QuorumLostException;
import io.processhub.ignite.HubContext;
import io.processhub.ignite.membership.QuorumFence;
import io.processhub.ignite.inspection.HubMetrics;
import io.processhub.strategy.ConsistentHashing;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import javax.cache.processor.EntryProcessorResult;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.IgniteCheckedException;
import org.apache.ignite.cache.CacheAtomicityMode;
import org.apache.ignite.cache.CacheMode;
import org.apache.ignite.cache.CacheWriteSynchronizationMode;
import org.apache.ignite.configuration.CacheConfiguration;
import org.apache.ignite.lang.IgniteFuture;
import org.apache.ignite.marshaller.Marshaller;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * A hub's checkpoints on one node: a PARTITIONED cache placed by the hub's own ring ({@link HubAffinityFunction}),
 * so a child's checkpoint lives on the node that runs it, with backups on its next owners: the node that takes a
 * child over after a crash holds its last checkpoint already, and reads those of a whole start batch with one local
 * {@code getAll}. Writes are queued per child and sent in batches, one {@code invokeAll} at a time (the version rule
 * of {@link CheckpointRecord} applied on the entry's primary): whatever is asked while a batch is under way goes with
 * the next one, a child's checkpoints not yet sent replace each other, and the caller never waits. States are
 * marshalled when taken. Ignite's callbacks only hand the answer to the hub's timer thread.
 */
public final class CheckpointCache implements CheckpointStore {
    private static final Logger LOG = LogManager.getLogger(CheckpointCache.class);

    /** What one child has queued: its requests in order, and who waits for each. */
    private static final class Queued {
        final List<CheckpointUpdate.Op> ops = new ArrayList<>(2);
        /** Per op: the futures of a write (several once writes were merged), of a claiming write, or null (a delete). */
        final List<Object> waiters = new ArrayList<>(2);
    }

    private final String hubId;
    private final IgniteCache<String, CheckpointRecord> cache;
    private final Marshaller marshaller;
    private final Executor executor;
    private final HubMetrics metrics;
    private final Object lock = new Object();
    /** Guarded by {@link #lock}. */
    private Map<String, Queued> queued = new LinkedHashMap<>();
    /** A batch is scheduled or under way. Guarded by {@link #lock}. */
    private final QuorumFence fence;
    private boolean flushing;
    private boolean closed;

    /** Creates the cache if needed. Blocks: call at the hub's start. */
    public CheckpointCache(HubContext hub) {
        this.hubId = hub.hubId;
        this.cache = hub.ignite.getOrCreateCache(cacheConfiguration(hub.hubId, hub.config.getCheckpoints(),
            hub.config.getDistributionStrategy() instanceof ConsistentHashing
                ? new HubAffinityFunction((ConsistentHashing)hub.config.getDistributionStrategy()) : new HubAffinityFunction()));
        this.marshaller = hub.ignite.configuration().getMarshaller();
        this.executor = hub.timer;
        this.metrics = hub.metrics;
        this.fence = hub.fence;
    }

    public static String cacheName(String hubId) {
        return "processhub-checkpoints-" + hubId;
    }

    static CacheConfiguration<String, CheckpointRecord> cacheConfiguration(String hubId, CheckpointConfiguration cfg,
        HubAffinityFunction ring) {
        return new CacheConfiguration<String, CheckpointRecord>(cacheName(hubId))
            .setCacheMode(CacheMode.PARTITIONED)
            .setAtomicityMode(CacheAtomicityMode.ATOMIC)
            .setBackups(cfg.getBackups())
            // A checkpoint counts as stored once its backups hold it too: a crash right after loses nothing.
            .setWriteSynchronizationMode(CacheWriteSynchronizationMode.FULL_SYNC)
            .setReadFromBackup(true)
            .setAffinity(ring)
            .setNodeFilter(HubAffinityFunction.memberFilter(hubId));
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public CompletableFuture<Map<String, StoredCheckpoint>> read(Collection<String> childIds) {
        CompletableFuture<Map<String, StoredCheckpoint>> res = new CompletableFuture<>();
        try {
            // Batched, and local on the children's owners (primary or backup here): no round trip per child.
            cache.getAllAsync(new HashSet<>(childIds)).listen(f -> {
                try {
                    executor.execute(() -> {
                        try {
                            Map<String, StoredCheckpoint> states = new HashMap<>();
                            f.get().forEach((id, rec) -> states.put(id, stored(id, rec)));
                            res.complete(states);
                        }
                        catch (RuntimeException e) {
                            res.completeExceptionally(e);
                        }
                    });
                }
                catch (RejectedExecutionException e) {
                    res.completeExceptionally(e);
                }
            });
        }
        catch (RuntimeException e) {
            res.completeExceptionally(e);
        }
        return res;
    }

    private StoredCheckpoint stored(String childId, CheckpointRecord rec) {
        return new StoredCheckpoint(rec.state() == null ? null : unmarshal(childId, rec.state()), rec.version(), rec.fence());
    }

    @Override
    public CompletableFuture<Long> claim(String childId, CheckpointVersion base, Object state) {
        return send(childId, state, bytes -> CheckpointUpdate.Op.claimAndWrite(base, bytes));
    }

    @Override
    public CompletableFuture<Long> write(String childId, long epoch, long seq, Object state) {
        return send(childId, state, bytes -> CheckpointUpdate.Op.write(epoch, seq, bytes));
    }

    /** Marshals the state and queues the request {@code op} makes of it. */
    private CompletableFuture<Long> send(String childId, Object state, Function<byte[], CheckpointUpdate.Op> op) {
        CompletableFuture<Long> done = new CompletableFuture<>();
        byte[] bytes;
        try {
            bytes = state == null ? null : marshaller.marshal(state);
        }
        catch (IgniteCheckedException | RuntimeException e) {
            metrics.checkpointsFailed.increment();
            done.completeExceptionally(new IllegalArgumentException("the state of child " + childId + " of hub " + hubId
                + " cannot be marshalled: " + e.getMessage(), e));
            return done;
        }
        synchronized (lock) {
            add(childId, op.apply(bytes), done);
        }
        return done;
    }

    @Override
    public void delete(Collection<String> childIds) {
        synchronized (lock) {
            for (String id : childIds)
                add(id, CheckpointUpdate.Op.delete(), null);
        }
    }

    /** Queues a request; a write right after a write not yet sent replaces it. Under {@link #lock}. */
    @SuppressWarnings("unchecked")
    private void add(String childId, CheckpointUpdate.Op op, CompletableFuture<?> waiter) {
        if (closed) {
            if (op.kind != CheckpointUpdate.DELETE)
                metrics.checkpointsFailed.increment();
            if (waiter != null)
                waiter.completeExceptionally(new IllegalStateException("hub " + hubId + " is stopping"));
            return;
        }
        Queued q = queued.computeIfAbsent(childId, k -> new Queued());
        int last = q.ops.size() - 1;
        if (op.kind == CheckpointUpdate.WRITE && last >= 0 && q.ops.get(last).kind == CheckpointUpdate.WRITE) {
            q.ops.set(last, op);
            ((List<CompletableFuture<?>>)q.waiters.get(last)).add(waiter);
        }
        else {
            q.ops.add(op);
            q.waiters.add(op.kind == CheckpointUpdate.WRITE ? new ArrayList<>(List.of(waiter)) : waiter);
        }
        if (!flushing) {
            flushing = true;
            schedule();
        }
    }

    private void schedule() {
        try {
            executor.execute(this::flush);
        }
        catch (RejectedExecutionException e) {
            // The node is stopping: what is queued will not be sent.
            closed = true;
            fail(queued, e);
            queued = new LinkedHashMap<>();
            flushing = false;
        }
    }

    /** Sends what is queued as one batch. On the executor. */
    private void flush() {
        Map<String, Queued> batch;
        synchronized (lock) {
            batch = queued;
            queued = new LinkedHashMap<>();
            if (batch.isEmpty()) {
                flushing = false;
                lock.notifyAll();
                return;
            }
        }
        if (fence.isFenced()) {
            fail(batch, new QuorumLostException("hub " + hubId + " has no quorum on this side of the cluster: checkpoints "
                + "are not written"));
            next();
            return;
        }
        QuorumFence.Ticket ticket = fence.issue();
        Map<String, CheckpointUpdate> updates = new HashMap<>(batch.size() * 2);
        batch.forEach((id, q) -> updates.put(id, new CheckpointUpdate(q.ops)));
        IgniteFuture<Map<String, EntryProcessorResult<CheckpointUpdate.Outcome>>> sent;
        try {
            sent = cache.invokeAllAsync(updates);
        }
        catch (RuntimeException e) {
            LOG.warn("Hub {}: {} checkpoint requests could not be sent", hubId, batch.size(), e);
            fail(batch, e);
            next();
            return;
        }
        // Ignite's thread completes the future: it only hands the answer over, once the fence has ruled on it (a
        // checkpoint acknowledged on the side about to lose quorum would be lost with that side).
        sent.listen(f -> fence.settle(ticket, lostMeanwhile -> {
            try {
                executor.execute(() -> {
                    if (lostMeanwhile)
                        fail(batch, new QuorumLostException("hub " + hubId + " lost quorum on this side of the cluster while "
                            + "the checkpoint was written: it may not survive the split"));
                    else
                        answer(batch, f);
                    next();
                });
            }
            catch (RejectedExecutionException e) {
                fail(batch, e);
            }
        }));
    }

    private void next() {
        synchronized (lock) {
            if (queued.isEmpty()) {
                flushing = false;
                lock.notifyAll();
            }
            else
                schedule();
        }
    }

    @SuppressWarnings("unchecked")
    private void answer(Map<String, Queued> batch, IgniteFuture<Map<String, EntryProcessorResult<CheckpointUpdate.Outcome>>> f) {
        Map<String, EntryProcessorResult<CheckpointUpdate.Outcome>> results;
        try {
            results = f.get();
        }
        catch (RuntimeException e) {
            LOG.warn("Hub {}: a batch of {} checkpoint requests failed", hubId, batch.size(), e);
            fail(batch, e);
            return;
        }
        int refused = 0;
        long written = 0;
        long bytes = 0;
        for (Map.Entry<String, Queued> e : batch.entrySet()) {
            Queued q = e.getValue();
            CheckpointUpdate.Outcome outcome;
            try {
                EntryProcessorResult<CheckpointUpdate.Outcome> r = results.get(e.getKey());
                outcome = r == null ? null : r.get();
            }
            catch (RuntimeException ex) {
                fail(q, ex);
                continue;
            }
            if (outcome == null) {
                fail(q, new IllegalStateException("no answer for the checkpoint of child " + e.getKey()));
                continue;
            }
            for (int i = 0; i < q.ops.size(); i++) {
                Object w = q.waiters.get(i);
                CheckpointUpdate.Op op = q.ops.get(i);
                if (op.kind != CheckpointUpdate.DELETE && outcome.applied[i]) {
                    written++;
                    bytes += op.state == null ? 0 : op.state.length;
                }
                if (op.kind == CheckpointUpdate.CLAIM_WRITE) {
                    if (outcome.applied[i])
                        ((CompletableFuture<Long>)w).complete(outcome.claimed.fence());
                    else {
                        refused++;
                        ((CompletableFuture<Long>)w).completeExceptionally(new ClaimRefusedException("the claim of child "
                            + e.getKey() + " of hub " + hubId + " was refused: another instance stored a newer checkpoint",
                            stored(e.getKey(), outcome.refusedBy)));
                    }
                }
                else if (op.kind == CheckpointUpdate.WRITE) {
                    if (!outcome.applied[i])
                        refused++;
                    for (CompletableFuture<Long> done : (List<CompletableFuture<Long>>)w)
                        if (outcome.applied[i])
                            done.complete(op.epoch);
                        else
                            done.completeExceptionally(new StaleCheckpointException("the checkpoint of child " + e.getKey()
                                + " of hub " + hubId + " was refused: a newer one is stored, or a newer instance claimed it"));
                }
            }
        }
        metrics.checkpointsWritten.add(written);
        metrics.checkpointBytes.add(bytes);
        metrics.checkpointsRefused.add(refused);
        if (refused > 0)
            LOG.debug("Hub {}: {} checkpoints refused as older than the stored ones", hubId, refused);
    }

    private void fail(Map<String, Queued> batch, Throwable cause) {
        for (Queued q : batch.values())
            fail(q, cause);
    }

    /** Fails a child's queued requests; its writes count as failed checkpoints. */
    @SuppressWarnings("unchecked")
    private void fail(Queued q, Throwable cause) {
        for (CheckpointUpdate.Op op : q.ops)
            if (op.kind != CheckpointUpdate.DELETE)
                metrics.checkpointsFailed.increment();
        for (Object w : q.waiters)
            if (w instanceof CompletableFuture)
                ((CompletableFuture<?>)w).completeExceptionally(cause);
            else if (w instanceof List)
                for (CompletableFuture<?> f : (List<CompletableFuture<?>>)w)
                    f.completeExceptionally(cause);
    }

    /** The stored state, or null (logged) if this node cannot read it: the child then starts without it. */
    private Object unmarshal(String childId, byte[] bytes) {
        try {
            ClassLoader ldr = Thread.currentThread().getContextClassLoader();
            return marshaller.unmarshal(bytes, ldr != null ? ldr : CheckpointCache.class.getClassLoader());
        }
        catch (IgniteCheckedException | RuntimeException e) {
            LOG.warn("Hub {}: the checkpoint of child {} cannot be read here; the child starts without it", hubId, childId, e);
            return null;
        }
    }

    /** Refuses new requests and waits, at most {@code millis}, until the queued ones are answered. */
    public void close(long millis) {
        long end = System.currentTimeMillis() + millis;
        synchronized (lock) {
            closed = true;
            try {
                for (long left = millis; flushing && left > 0; left = end - System.currentTimeMillis())
                    lock.wait(left);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
