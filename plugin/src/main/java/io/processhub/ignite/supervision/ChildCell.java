package io.processhub.ignite.supervision;

import io.processhub.ChildProcess;
import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One child on this node: its current instance and ref, and its mailbox. The mailbox runs its tasks one at
 * a time on the shared child pool, so start, messages, stop and restarts of one child never overlap and no
 * child owns a thread.
 */
public final class ChildCell implements Runnable {
    public enum State { STARTING, RUNNING, DEAD }

    /** Tasks run per turn before the cell yields its pool thread to other children. */
    private static final int TURN = 64;

    public final String id;
    /** The spec it was asked to run. */
    public final ChildSpec requested;
    /** The spec it runs: the requested one as changed by CHILD_DATA_ALTER handlers. */
    public volatile ChildSpec spec;
    private final Executor pool;
    private final ConcurrentLinkedQueue<Runnable> mailbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    public volatile State state = State.STARTING;
    public volatile ChildProcess instance;
    public volatile ChildRef ref;
    /** The role the first instance starts with. */
    public volatile io.processhub.ReplicaRole initialRole = io.processhub.ReplicaRole.ACTIVE;
    /** Set when the reconciler moves it away: it is being stopped (after a handover). */
    public volatile boolean movingOut;
    /** Set once the first registry write for this child completed (even failed): before, nothing is missing yet. */
    public volatile boolean registered;
    /** When that first write completed. */
    public volatile long registeredAt;
    /** When the current instance started; 0 until the first one did. */
    public volatile long startedAt;

    /** Start times of recent restarts, created at the first restart; touched only from the mailbox. */
    private ArrayDeque<Long> restarts;

    public ChildCell(ChildSpec spec, Executor pool) {
        this.id = spec.id();
        this.requested = spec;
        this.spec = spec;
        this.pool = pool;
    }

    public void enqueue(Runnable task) {
        mailbox.add(task);
        if (scheduled.compareAndSet(false, true))
            pool.execute(this);
    }

    @Override
    public void run() {
        for (int i = 0; i < TURN; i++) {
            Runnable task = mailbox.poll();
            if (task == null)
                break;
            task.run();
        }
        scheduled.set(false);
        if (!mailbox.isEmpty() && scheduled.compareAndSet(false, true))
            pool.execute(this);
    }

    /** Records a restart if the intensity allows it. Mailbox only. */
    public boolean allowRestart(long now, int maxRestarts, long windowMillis) {
        if (restarts == null)
            restarts = new ArrayDeque<>(4);
        while (!restarts.isEmpty() && restarts.peekFirst() <= now - windowMillis)
            restarts.pollFirst();
        if (restarts.size() >= maxRestarts)
            return false;
        restarts.addLast(now);
        return true;
    }

    /** What others may know of this cell, read once. */
    LocalChild snapshot() {
        ChildRef r = ref;
        State s = state;
        ChildPhase phase = s == State.STARTING ? ChildPhase.STARTING
            : movingOut ? ChildPhase.MOVING_OUT
            : s == State.RUNNING ? ChildPhase.RUNNING : ChildPhase.STOPPING;
        return new LocalChild(id, phase, spec, r, r == null ? initialRole : r.role(),
            registered ? Math.max(1, registeredAt) : 0, startedAt, 0);
    }

    long incarnation() {
        ChildRef r = ref;
        return r == null ? 0 : r.incarnation();
    }
}
