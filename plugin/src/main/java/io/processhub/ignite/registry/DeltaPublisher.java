package io.processhub.ignite.registry;

import io.processhub.ignite.SerialExecutor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongPredicate;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.ignite.lang.IgniteFuture;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Publishes this node's registry changes as its numbered batches ({@link RegistryDelta}), the only way anything reaches
 * the registry cache. Changes queue up while {@link #MAX_IN_FLIGHT} batches are being written; the next batch then
 * takes everything queued, up to {@link #MAX_CHANGES}, so many small writes cost one cache entry, and a single one
 * is never delayed. A batch that fails is written again under the same seq until it lands or the registry closes:
 * a writer's sequence never has a hole while it lives.
 */
final class DeltaPublisher {
    private static final Logger LOG = LogManager.getLogger(DeltaPublisher.class);
    static final int MAX_CHANGES = 2_048;
    static final int MAX_IN_FLIGHT = 8;
    private static final long RETRY_MILLIS = 50;
    /** In a change, "the version of the batch that carries it". */
    static final long BATCH_VERSION = 0;

    /** Changes asked for together: they complete together, with the highest version they were written at. */
    static final class Changes {
        /** Logical key → put value (a ChildSpec or ChildRef) and its version (or BATCH_VERSION). */
        final Map<String, Object> puts = new LinkedHashMap<>();
        final Map<String, Long> putVersions = new LinkedHashMap<>();
        /** Logical key → the version removed up to (or BATCH_VERSION). */
        final Map<String, Long> removals = new LinkedHashMap<>();
        final CompletableFuture<Long> written = new CompletableFuture<>();
        private final AtomicInteger piecesLeft = new AtomicInteger();
        private volatile long highestVersion;

        void put(Object value, long version) {
            String key = RegistryDelta.keyOf(value);
            removals.remove(key);
            puts.put(key, value);
            putVersions.put(key, version);
        }

        void remove(String key, long upTo) {
            puts.remove(key);
            putVersions.remove(key);
            removals.put(key, upTo);
        }

        int size() {
            return puts.size() + removals.size();
        }

        private synchronized void pieceWritten(long version) {
            highestVersion = Math.max(highestVersion, version);
            if (piecesLeft.decrementAndGet() == 0)
                written.complete(highestVersion);
        }
    }

    /** At most MAX_CHANGES changes of one {@link Changes}: what a batch takes whole. */
    private static final class Piece {
        final Changes of;
        final List<String> keys = new ArrayList<>();

        Piece(Changes of) {
            this.of = of;
        }
    }

    private final UUID writer;
    private final VersionClock clock;
    private final LongSupplier epoch;
    private final ScheduledExecutorService timer;
    private final Registry registry;
    /**
     * The one thread that calls the cache for this writer (see {@link #flush}); it ends after a moment without
     * work, so an idle hub keeps no thread.
     */
    private final SerialExecutor writes;
    /** Whether a flush is queued on the writer thread and has not started yet. */
    private final AtomicBoolean flushQueued = new AtomicBoolean();

    private final ArrayDeque<Piece> queue = new ArrayDeque<>();
    private long nextSeq = 1;
    private int inFlight;
    /** While a snapshot is taken and written, batches wait: the snapshot's batches must follow what it replaces. */
    private boolean paused;
    /** The first of this writer's batches still in the cache. */
    private long logStart = 1;
    /** Changes published since the last snapshot, and when the first of them was. */
    private long changesSinceSnapshot;
    private long firstChangeSinceSnapshotAt;
    private long lastChangeAt;
    /** This writer's removals, kept for snapshots while other nodes may still hold older puts: key → {upTo, at}. */
    private final Map<String, long[]> recentRemovals = new LinkedHashMap<>();

    DeltaPublisher(UUID writer, VersionClock clock, LongSupplier epoch, ScheduledExecutorService timer, Registry registry,
        SerialExecutor writes) {
        this.writer = writer;
        this.clock = clock;
        this.epoch = epoch;
        this.timer = timer;
        this.registry = registry;
        this.writes = writes;
    }

    /** Queues the changes; the future completes once every batch carrying them is in the cache. Any thread. */
    CompletableFuture<Long> publish(Changes c) {
        if (c.size() == 0)
            return CompletableFuture.completedFuture(0L);
        List<String> keys = new ArrayList<>(c.puts.keySet());
        keys.addAll(c.removals.keySet());
        List<Piece> pieces = new ArrayList<>();
        for (int i = 0; i < keys.size(); i += MAX_CHANGES) {
            Piece p = new Piece(c);
            p.keys.addAll(keys.subList(i, Math.min(keys.size(), i + MAX_CHANGES)));
            pieces.add(p);
        }
        c.piecesLeft.set(pieces.size());
        synchronized (this) {
            queue.addAll(pieces);
        }
        requestFlush();
        return c.written;
    }

    /** Cancels what is queued: the registry closed (the hub or its node is stopping). */
    synchronized void close() {
        for (Piece p : queue)
            p.of.written.completeExceptionally(new CancellationException("the registry is closed"));
        queue.clear();
        writes.shutdown();
    }

    /** Runs a cache call on the writer thread; false if the registry closed. */
    private boolean onWriter(Runnable call) {
        try {
            writes.execute(call);
            return true;
        }
        catch (RejectedExecutionException closed) {
            return false;
        }
    }

    /** Has the writer thread send what may go now. Any thread; cheap, never blocks. */
    private void requestFlush() {
        if (flushQueued.compareAndSet(false, true) && !onWriter(this::flush))
            flushQueued.set(false); // the registry closed: close() cancelled what was queued
    }

    /**
     * Builds the batches that may go now (under the lock: each takes the next seq), then writes them outside it, in
     * seq order. Writer thread only: Ignite's {@code putAsync} does real work on the calling thread (the local update
     * of a primary copy, up to a few hundred milliseconds for a full batch), which once ran on the hub's loop and on
     * the JVM's one common-pool thread that completes every node's cache futures.
     */
    private void flush() {
        flushQueued.set(false);
        List<RegistryDelta> batches = new ArrayList<>();
        List<List<Piece>> carried = new ArrayList<>();
        synchronized (this) {
            while (!paused && inFlight < MAX_IN_FLIGHT && !queue.isEmpty()) {
                List<Piece> taken = new ArrayList<>();
                Set<String> keys = new HashSet<>();
                int size = 0;
                while (!queue.isEmpty()) {
                    Piece p = queue.peek();
                    // A key twice in one batch would be ambiguous (one version for both): it waits for the next batch.
                    if (!taken.isEmpty() && (size + p.keys.size() > MAX_CHANGES || overlaps(keys, p.keys)))
                        break;
                    queue.poll();
                    taken.add(p);
                    keys.addAll(p.keys);
                    size += p.keys.size();
                }
                inFlight++;
                batches.add(build(taken));
                carried.add(taken);
            }
        }
        for (int i = 0; i < batches.size(); i++)
            write(batches.get(i), carried.get(i));
    }

    private static boolean overlaps(Set<String> keys, List<String> more) {
        for (String k : more)
            if (keys.contains(k))
                return true;
        return false;
    }

    private RegistryDelta build(List<Piece> pieces) {
        long version = clock.next(epoch.getAsLong());
        List<Object> values = new ArrayList<>();
        List<Long> valueVersions = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        List<Long> upTo = new ArrayList<>();
        for (Piece p : pieces)
            for (String k : p.keys) {
                Object v = p.of.puts.get(k);
                if (v != null) {
                    values.add(v);
                    long explicit = p.of.putVersions.get(k);
                    valueVersions.add(explicit == BATCH_VERSION ? version : explicit);
                }
                else {
                    removed.add(k);
                    long explicit = p.of.removals.get(k);
                    long removedUpTo = explicit == BATCH_VERSION ? version : explicit;
                    upTo.add(removedUpTo);
                    recentRemovals.remove(k);
                    recentRemovals.put(k, new long[] {removedUpTo, System.currentTimeMillis()});
                }
            }
        if (changesSinceSnapshot == 0)
            firstChangeSinceSnapshotAt = System.currentTimeMillis();
        changesSinceSnapshot += values.size() + removed.size();
        lastChangeAt = System.currentTimeMillis();
        return new RegistryDelta(writer, nextSeq++, version, System.currentTimeMillis(), values.toArray(),
            valueVersions.stream().mapToLong(Long::longValue).toArray(), removed.toArray(new String[0]),
            upTo.stream().mapToLong(Long::longValue).toArray());
    }

    private void write(RegistryDelta d, List<Piece> pieces) {
        String key = RegistryKeys.delta(writer, d.seq());
        CompletableFuture<Void> written = new CompletableFuture<>();
        putUntilWritten(key, () -> registry.cache().putAsync(key, d), written);
        written.whenComplete((v, err) -> {
            if (err != null) {
                for (Piece p : pieces)
                    p.of.written.completeExceptionally(err);
                return;
            }
            for (Piece p : pieces)
                p.of.pieceWritten(d.version());
            synchronized (this) {
                inFlight--;
            }
            requestFlush();
        });
    }

    /**
     * Writes again until it lands or the registry closes: a batch's seq is taken, and a hole in a writer's log would
     * stall every reader.
     */
    private void putUntilWritten(String what, Supplier<IgniteFuture<Void>> put, CompletableFuture<Void> written) {
        IgniteFutures.of(put).whenComplete((v, err) -> {
            if (err == null) {
                written.complete(null);
                return;
            }
            if (registry.isClosed()) {
                written.completeExceptionally(err);
                return;
            }
            LOG.debug("Registry batch {} not written, writing it again", what, err);
            try {
                timer.schedule(() -> {
                    if (!onWriter(() -> putUntilWritten(what, put, written)))
                        written.completeExceptionally(err);
                }, RETRY_MILLIS, TimeUnit.MILLISECONDS);
            }
            catch (RejectedExecutionException stopping) {
                written.completeExceptionally(err);
            }
        });
    }

    // ---------------------------------------------------------------- snapshots (see LogCompactor)

    /**
     * Another writer removed a record of this one: its put is now superseded but still in this writer's log, where a
     * node that joins after the removal is forgotten would read it alone (and start a stopped child again). Counts as a
     * change, so the log is compacted within half the removals' memory even if this writer stays idle.
     */
    synchronized void ownRecordSuperseded() {
        if (changesSinceSnapshot == 0)
            firstChangeSinceSnapshotAt = System.currentTimeMillis();
        changesSinceSnapshot++;
    }

    /**
     * Keeps removals of a departed writer, whose log the oldest member is about to remove, in this writer's snapshots
     * as if they were its own (key → {removed up to, when}): see {@link LogCompactor.DepartedRemovals}. A removal up to a higher
     * version covers a lower one; the later time keeps it longer.
     */
    synchronized void adoptRemovals(Map<String, long[]> removals) {
        removals.forEach((key, r) -> recentRemovals.merge(key, r.clone(),
            (mine, theirs) -> new long[] {Math.max(mine[0], theirs[0]), Math.max(mine[1], theirs[1])}));
    }

    synchronized long changesSinceSnapshot() {
        return changesSinceSnapshot;
    }

    synchronized long firstChangeSinceSnapshotAt() {
        return firstChangeSinceSnapshotAt;
    }

    /** When this writer last published a change (0 if never). */
    synchronized long lastChangeAt() {
        return lastChangeAt;
    }

    /** Holds new batches back; returns the last seq published. The caller waits for {@link #idle} and this node to apply it. */
    synchronized long pause() {
        paused = true;
        return nextSeq - 1;
    }

    synchronized boolean idle() {
        return inFlight == 0;
    }

    void resume() {
        synchronized (this) {
            paused = false;
        }
        requestFlush();
    }

    /**
     * Writes a snapshot replacing every batch published so far (the caller paused publishing, waited for the writes in
     * flight and for this node to apply them, and read {@code values} from the index), then removes the replaced
     * batches from the cache and resumes. The snapshot also carries this writer's removals younger than
     * {@code removalsKeptMillis}, and older ones that {@code stillNeeded} (given when a removal was made) keeps.
     * Completes when the snapshot is written.
     */
    CompletableFuture<Void> writeSnapshot(Map<String, Object> values, Map<String, Long> versions, long removalsKeptMillis,
        LongPredicate stillNeeded) {
        List<RegistryDelta> parts = new ArrayList<>();
        long replaced;
        long first;
        synchronized (this) {
            long now = System.currentTimeMillis();
            recentRemovals.values().removeIf(r -> now - r[1] > removalsKeptMillis && !stillNeeded.test(r[1]));
            List<String> keys = new ArrayList<>(values.keySet());
            List<String> removals = new ArrayList<>(recentRemovals.keySet());
            int total = keys.size() + removals.size();
            int count = Math.max(1, (total + MAX_CHANGES - 1) / MAX_CHANGES);
            replaced = nextSeq - 1;
            first = nextSeq;
            long last = first + count - 1;
            long version = clock.next(epoch.getAsLong());
            for (int part = 0; part < count; part++) {
                List<Object> vals = new ArrayList<>();
                List<Long> valVersions = new ArrayList<>();
                List<String> rem = new ArrayList<>();
                List<Long> upTo = new ArrayList<>();
                for (int i = part * MAX_CHANGES; i < Math.min(total, (part + 1) * MAX_CHANGES); i++) {
                    if (i < keys.size()) {
                        vals.add(values.get(keys.get(i)));
                        valVersions.add(versions.get(keys.get(i)));
                    }
                    else {
                        String k = removals.get(i - keys.size());
                        rem.add(k);
                        upTo.add(recentRemovals.get(k)[0]);
                    }
                }
                parts.add(new RegistryDelta(writer, nextSeq++, version, now, vals.toArray(),
                    valVersions.stream().mapToLong(Long::longValue).toArray(), rem.toArray(new String[0]),
                    upTo.stream().mapToLong(Long::longValue).toArray(), replaced, last));
            }
            changesSinceSnapshot = 0;
        }
        Map<String, Object> entries = new LinkedHashMap<>();
        for (RegistryDelta d : parts)
            entries.put(RegistryKeys.delta(writer, d.seq()), d);
        CompletableFuture<Void> written = new CompletableFuture<>();
        if (!onWriter(() -> putUntilWritten("snapshot of " + writer + " from " + first,
                () -> registry.cache().putAllAsync(entries), written)))
            written.completeExceptionally(new CancellationException("the registry is closed"));
        return written.whenComplete((v, err) -> {
            if (err == null) {
                long from;
                synchronized (this) {
                    from = logStart;
                    logStart = first;
                }
                removeBatches(writer, from, replaced);
            }
            resume();
        });
    }

    /** Removes batches [from, to] of a writer from the cache (replaced by a snapshot, or a departed writer's log). */
    void removeBatches(UUID of, long from, long to) {
        List<String> keys = new ArrayList<>();
        for (long s = from; s <= to; s++) {
            keys.add(RegistryKeys.delta(of, s));
            if (keys.size() == MAX_CHANGES || s == to) {
                Set<String> chunk = new HashSet<>(keys);
                keys.clear();
                onWriter(() -> IgniteFutures.of(() -> registry.cache().removeAllAsync(chunk)).whenComplete((v, e) -> {
                    if (e != null)
                        LOG.debug("Replaced registry batches of {} not removed", of, e);
                }));
            }
        }
    }
}
