package io.processhub.ignite.supervision;

import io.processhub.ignite.supervision.casts.CastOrder;
import io.processhub.ChildProcess;
import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import io.processhub.ReplicaRole;
import io.processhub.StopReason;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One child on this node: its lifecycle, its current instance and ref, and its mailbox. The mailbox runs its
 * tasks one at a time on the shared child pool, so start, messages, stop and restarts of one child never overlap
 * and no child owns a thread. Messages (calls, casts) are bounded; the supervisor's own tasks always get in.
 * A retired child keeps a cell with no spec and no instance: its tombstone.
 */
final class ChildCell implements Runnable {
    /** Tasks run per turn before the cell yields its pool thread to other children. */
    private static final int TURN = 64;

    final String id;
    /** The spec it was asked to run; null for a tombstone made for a child that never ran here. */
    final ChildSpec requested;
    /** The spec it runs: the requested one as changed by CHILD_DATA_ALTER handlers. */
    volatile ChildSpec spec;
    final ChildLifecycle lifecycle;
    /** The role the first instance starts with. */
    final ReplicaRole initialRole;
    private final Executor pool;
    private final int mailboxCapacity;
    private final ConcurrentLinkedQueue<Runnable> mailbox = new ConcurrentLinkedQueue<>();
    // Counters as fields with updaters rather than AtomicInteger/AtomicBoolean: a node keeps a cell per child, and
    // each atomic object would add 16 B to every one of them.
    /** Messages queued and not yet run (the supervisor's own tasks are not counted). */
    private volatile int messages;
    /** 1 while the cell is queued on, or runs on, the pool. */
    private volatile int scheduled;
    private static final AtomicIntegerFieldUpdater<ChildCell> MESSAGES = AtomicIntegerFieldUpdater.newUpdater(ChildCell.class, "messages");
    private static final AtomicIntegerFieldUpdater<ChildCell> SCHEDULED = AtomicIntegerFieldUpdater.newUpdater(ChildCell.class, "scheduled");

    /** The running instance; null before the first start, after a stop, and while a restart creates the next one. */
    volatile ChildProcess instance;
    /** The current incarnation's ref (its role changes in place); null before the first start. */
    volatile ChildRef ref;
    /** When its first registry write completed (even failed); 0 before: nothing is missing from the registry yet. */
    volatile long registeredAt;
    /** When the current instance started; 0 until the first one did. */
    volatile long startedAt;
    /** When it was retired (phase RETIRED); the reconciler refreshes it when it removes the spec again. Loop only. */
    volatile long retiredAt;
    /**
     * Set before the instance stops because the child goes on elsewhere (moved away, or this node leaves or loses
     * quorum), not because it was stopped: a message that finds no instance then is refused as misrouted, not as sent
     * to a child that does not exist.
     */
    volatile boolean relocating;
    /**
     * Role changes asked of this cell so far: a promotion that waits for its checkpoint read is dropped if another
     * change was asked meanwhile. Written under the cell's lock ({@code Supervisor.changeRole}), read on the mailbox.
     */
    volatile int roleRequests;
    /**
     * An active replica being demoted waits for its last checkpoint: it takes no message meanwhile, though its ref
     * still says active. Set in its mailbox; read there and by {@code takesMessages}.
     */
    volatile boolean demoting;
    /** A promotion under way (it reads the checkpoint first); null if none. Guarded by the cell's lock. */
    CompletableFuture<RoleChange> promoting;
    /**
     * Why {@code stopAll} took it off this node (the node stops, or this side lost quorum); null if it did not. A start
     * that a loss of quorum cuts short is answered as {@code PARTITIONED}, not as started. Set on the loop.
     */
    volatile StopReason removedBy;
    /**
     * Whether this node writes the child's spec with its replica's ref: it was started here by a request. A replica
     * the reconciler started runs a spec someone else recorded, and writes only its ref: its registration landing
     * after a stop that raced its start must not bring the spec back. Set before the cell is published.
     */
    boolean recordsSpec;
    /** A handed-over state to restore right after the first start. Set on the loop before that start is queued. */
    PendingStates.Pending handedOver;

    /** Where each sender's numbered casts stand; null until the first one. Mailbox only. */
    CastOrder casts;
    /** Whether a look at its held casts is scheduled. Mailbox only. */
    boolean gapCheckDue;

    /** Its checkpoints' epoch and sequence; null until the hub's checkpoints first concern it. Mailbox only. */
    private CellCheckpoint checkpoint;
    /**
     * Its first instance's state is being restored (its checkpoint read): messages wait in {@link #held}. Set on the
     * loop before the first start is queued, then mailbox only.
     */
    boolean restoring;
    /** Messages that came while {@link #restoring}, in order; null if none. Mailbox only. */
    private List<Runnable> held;

    /** Start times of recent restarts, created at the first restart; touched only from the mailbox. */
    private ArrayDeque<Long> restarts;

    ChildCell(String id, ChildSpec spec, ReplicaRole initialRole, ChildLifecycle lifecycle, Executor pool, int mailboxCapacity) {
        this.id = id;
        this.requested = spec;
        this.spec = spec;
        this.initialRole = initialRole;
        this.lifecycle = lifecycle;
        this.pool = pool;
        this.mailboxCapacity = mailboxCapacity;
    }

    ChildPhase phase() {
        return lifecycle.phase();
    }

    /** Queues a task of the supervisor: never refused. */
    void enqueue(Runnable task) {
        mailbox.add(task);
        if (SCHEDULED.compareAndSet(this, 0, 1))
            pool.execute(this);
    }

    /** Keeps a message for after the restore, if one is under way. Mailbox only. */
    boolean holdWhileRestoring(Runnable message) {
        if (!restoring)
            return false;
        if (held == null)
            held = new ArrayList<>(2);
        held.add(message);
        return true;
    }

    /** The state is restored, or will not be: the messages that waited for it are handled now, in order. Mailbox only. */
    void restored() {
        restoring = false;
        List<Runnable> waiting = held;
        held = null;
        if (waiting != null)
            for (Runnable m : waiting)
                m.run();
    }

    /** Queues a message for the child unless its mailbox is full. Never blocks. */
    boolean offer(Runnable message) {
        if (MESSAGES.incrementAndGet(this) > mailboxCapacity) {
            MESSAGES.decrementAndGet(this);
            return false;
        }
        enqueue(() -> {
            MESSAGES.decrementAndGet(this);
            message.run();
        });
        return true;
    }

    @Override
    public void run() {
        for (int i = 0; i < TURN; i++) {
            Runnable task = mailbox.poll();
            if (task == null)
                break;
            task.run();
        }
        scheduled = 0;
        if (!mailbox.isEmpty() && SCHEDULED.compareAndSet(this, 0, 1))
            pool.execute(this);
    }

    /** Records a restart if the intensity allows it. Mailbox only. */
    boolean allowRestart(long now, int maxRestarts, long windowMillis) {
        if (restarts == null)
            restarts = new ArrayDeque<>(4);
        while (!restarts.isEmpty() && restarts.peekFirst() <= now - windowMillis)
            restarts.pollFirst();
        if (restarts.size() >= maxRestarts)
            return false;
        restarts.addLast(now);
        return true;
    }

    /** Where its senders' casts stand, made on first use. Mailbox only. */
    CastOrder casts() {
        if (casts == null)
            casts = new CastOrder();
        return casts;
    }

    /** Its checkpoint bookkeeping, made on first use. Mailbox only. */
    CellCheckpoint checkpoint() {
        if (checkpoint == null)
            checkpoint = new CellCheckpoint();
        return checkpoint;
    }

    long incarnation() {
        ChildRef r = ref;
        return r == null ? 0 : r.incarnation();
    }

    /** What others may know of this cell, read once. */
    LocalChild snapshot() {
        // Phase first: the mailbox sets ref before it moves the phase to RUNNING, so a RUNNING phase read here comes
        // with its ref. Read the other way round, a start completing in between gave RUNNING with no ref.
        ChildPhase phase = lifecycle.phase();
        ChildRef r = ref;
        return new LocalChild(id, phase, spec, r, r == null ? initialRole : r.role(), registeredAt, startedAt,
            phase == ChildPhase.RETIRED ? retiredAt : 0, recordsSpec);
    }
}
