package io.processhub.ignite.supervision;

import io.processhub.ignite.checkpoint.CheckpointStore;
import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import io.processhub.ReplicaRole;
import io.processhub.ignite.hooks.HookDispatcher;
import io.processhub.ignite.inspection.HubMetrics;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A supervisor without Ignite: its loop runs tasks at once on the caller's thread, its children's mailboxes run on
 * {@link #pool} (direct unless a test holds tasks back), its clock is {@link #now}, and what it records and asks
 * goes to the fakes here.
 */
final class SupervisorRig implements AutoCloseable {
    static final String HUB = "unit";
    static final String NODE = "node-a";
    static final UUID NODE_ID = new UUID(0, 1);

    /** The child pool: runs tasks at once unless {@link #hold} is set, then keeps them for {@link #drain}. */
    static final class Pool implements Executor {
        private final ArrayDeque<Runnable> held = new ArrayDeque<>();
        boolean hold;

        @Override
        public void execute(Runnable task) {
            if (hold)
                held.add(task);
            else
                task.run();
        }

        void drain() {
            hold = false;
            for (Runnable r; (r = held.poll()) != null; )
                r.run();
        }
    }

    /** What the supervisor recorded, in order. */
    static final class Records implements ChildRecords {
        final List<ChildSpec> registeredSpecs = new ArrayList<>();
        final List<ChildRef> refs = new ArrayList<>();
        final List<String> unregistered = new ArrayList<>();
        final List<String> retired = new ArrayList<>();

        /** When set, the next registration completes when a test completes it (a registry write in flight). */
        CompletableFuture<Void> nextRegistration;

        @Override
        public CompletableFuture<?> registered(List<ChildSpec> specs, List<ChildRef> refs) {
            registeredSpecs.addAll(specs);
            this.refs.addAll(refs);
            CompletableFuture<Void> f = nextRegistration;
            nextRegistration = null;
            return f != null ? f : CompletableFuture.completedFuture(null);
        }

        @Override
        public void reregistered(ChildRef ref) {
            refs.add(ref);
        }

        @Override
        public CompletableFuture<?> unregistered(Collection<String> childIds, boolean retire) {
            (retire ? retired : unregistered).addAll(childIds);
            return CompletableFuture.completedFuture(null);
        }

        ChildRef lastRef() {
            return refs.get(refs.size() - 1);
        }
    }

    /** One copy per child, started with {@link #role}, no replica elsewhere. */
    static final class Placement implements ReplicaPlacement {
        ReplicaRole role = ReplicaRole.ACTIVE;

        @Override
        public int copies() {
            return 1;
        }

        @Override
        public ReplicaRole initialRole(ChildSpec spec) {
            return role;
        }

        @Override
        public boolean signals(ReplicaRole role) {
            return true;
        }

        @Override
        public ChildRef liveRefElsewhere(String childId) {
            return null;
        }
    }

    final Pool pool = new Pool();
    final AtomicLong now = new AtomicLong(1_000_000);
    final HubMetrics metrics = new HubMetrics(HUB);
    final Records records = new Records();
    final Placement placement = new Placement();
    private final HookDispatcher hooks = new HookDispatcher(HUB, NODE, List.of(), Runnable::run);
    final Supervisor supervisor;

    SupervisorRig(int maxRestarts, long restartWindowMillis, int mailboxCapacity) {
        this(maxRestarts, restartWindowMillis, mailboxCapacity, CheckpointStore.NONE);
    }

    SupervisorRig(int maxRestarts, long restartWindowMillis, int mailboxCapacity, CheckpointStore checkpoints) {
        SupervisionContext ctx = new SupervisionContext(HUB, NODE, NODE_ID, maxRestarts, restartWindowMillis, mailboxCapacity,
            Runnable::run, pool, hooks, metrics, now::get, () -> null, () -> null);
        supervisor = new Supervisor(ctx, records, placement, checkpoints);
    }

    SupervisorRig() {
        this(3, 1_000, 100);
    }

    /** Starts children (replica 0 each) and answers the batch result. */
    BatchResult start(ChildSpec... specs) {
        List<StartItem> items = new ArrayList<>();
        for (ChildSpec s : specs)
            items.add(new StartItem(s, 0));
        CompletableFuture<BatchResult> done = new CompletableFuture<>();
        supervisor.start(items, true, done::complete);
        pool.drain();
        return done.join();
    }

    /**
     * Starts a {@link TestChild} (replica 0) and answers its batch's future without waiting for it: the start may wait
     * for something the test answers later (a checkpoint read).
     */
    CompletableFuture<BatchResult> startTestChild(String childId) {
        CompletableFuture<BatchResult> done = new CompletableFuture<>();
        supervisor.start(List.of(new StartItem(ChildSpec.of(childId, TestChild.class), 0)), true, done::complete);
        return done;
    }

    /** A call to a local child; the loop and the pool are direct, so it is answered when this returns (unless held). */
    CompletableFuture<Object> call(String childId, Object message) {
        CompletableFuture<Object> reply = new CompletableFuture<>();
        supervisor.deliver(childId, message, reply);
        return reply;
    }

    Object answer(String childId, Object message) {
        return call(childId, message).join();
    }

    ChildPhase phase(String childId) {
        LocalChild c = supervisor.local(childId);
        return c == null ? null : c.phase;
    }

    @Override
    public void close() {
        hooks.shutdown();
    }
}
