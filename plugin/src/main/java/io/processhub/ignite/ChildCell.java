package io.processhub.ignite;

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
final class ChildCell implements Runnable {
    enum State { STARTING, RUNNING, DEAD }

    /** Tasks run per turn before the cell yields its pool thread to other children. */
    private static final int TURN = 64;

    final String id;
    /** The spec it was asked to run. */
    final ChildSpec requested;
    /** The spec it runs: the requested one as changed by CHILD_DATA_ALTER handlers. */
    volatile ChildSpec spec;
    private final Executor pool;
    private final ConcurrentLinkedQueue<Runnable> mailbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    volatile State state = State.STARTING;
    volatile ChildProcess instance;
    volatile ChildRef ref;
    /** The role the first instance starts with. */
    volatile io.processhub.ReplicaRole initialRole = io.processhub.ReplicaRole.ACTIVE;
    /** Set when the reconciler moves it away: it is being stopped (after a handover). */
    volatile boolean movingOut;
    /** Set once the first registry write for this child completed (even failed): before, nothing is missing yet. */
    volatile boolean registered;
    /** When that first write completed. */
    volatile long registeredAt;
    /** When the current instance started; 0 until the first one did. */
    volatile long startedAt;

    /** Start times of recent restarts, created at the first restart; touched only from the mailbox. */
    private ArrayDeque<Long> restarts;

    ChildCell(ChildSpec spec, Executor pool) {
        this.id = spec.id();
        this.requested = spec;
        this.spec = spec;
        this.pool = pool;
    }

    void enqueue(Runnable task) {
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

    long incarnation() {
        ChildRef r = ref;
        return r == null ? 0 : r.incarnation();
    }
}
