package io.processhub.ignite.transport;

import io.processhub.ignite.supervision.NotActiveReplicaException;

import io.processhub.CallTimeoutException;
import io.processhub.ChildCallException;
import io.processhub.MailboxFullException;
import io.processhub.NoSuchChildException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** The requests this node sent and still waits for, by id; replies and timeouts resolve them. */
public final class PendingRequests {
    private final AtomicLong nextId = new AtomicLong();
    private final ConcurrentHashMap<Long, StartCollector> starts = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, StopCollector> stops = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, AbortCollector> aborts = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, CompletableFuture<Object>> calls = new ConcurrentHashMap<>();
    /** Call id → node the call was sent to. */
    private final ConcurrentHashMap<Long, String> callTargets = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;

    public PendingRequests(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    public long register(StartCollector c, Duration timeout) {
        return register(starts, c, timeout);
    }

    public long register(StopCollector c, Duration timeout) {
        return register(stops, c, timeout);
    }

    public long register(AbortCollector c, Duration timeout) {
        return register(aborts, c, timeout);
    }

    private <C extends ReplyCollector<?>> long register(ConcurrentHashMap<Long, C> pending, C c, Duration timeout) {
        long id = nextId.incrementAndGet();
        pending.put(id, c);
        ScheduledFuture<?> timeoutTask = timer.schedule(() -> c.timeOut("no answer within " + timeout.toMillis() + " ms"),
            timeout.toMillis(), TimeUnit.MILLISECONDS);
        c.done.whenComplete((r, e) -> {
            pending.remove(id);
            timeoutTask.cancel(false);
        });
        return id;
    }

    /** Registers a call (or handover) sent to {@code node}. */
    public long register(CompletableFuture<Object> call, String childId, String node, Duration timeout) {
        long id = nextId.incrementAndGet();
        calls.put(id, call);
        callTargets.put(id, node);
        call.whenComplete((r, e) -> {
            calls.remove(id);
            callTargets.remove(id);
        });
        timeOut(call, childId, timeout);
        return id;
    }

    /**
     * A node left: requests waiting for its answer fail now instead of at their timeout. After a graceful leave a
     * call goes again (as to a replica that is not active): the node refused what it did not handle before it went,
     * so the call was not handled there, and its child lives on elsewhere (or the next attempt says it does not).
     * After a crash it fails with {@link NoSuchChildException}: the node may have handled it before it died. Any thread.
     */
    public void nodeLeft(String node, boolean failed) {
        starts.values().forEach(c -> c.nodeLeft(node));
        stops.values().forEach(c -> c.nodeLeft(node));
        aborts.values().forEach(c -> c.nodeLeft(node));
        callTargets.forEach((id, target) -> {
            CompletableFuture<Object> call = calls.get(id);
            if (target.equals(node) && call != null)
                call.completeExceptionally(failed ? new NoSuchChildException("node " + node + " left the cluster before answering")
                    : new NotActiveReplicaException("node " + node + " left the cluster before answering"));
        });
    }

    /** Fails the call with {@link CallTimeoutException} if it has no answer within the timeout. */
    public void timeOut(CompletableFuture<Object> call, String childId, Duration timeout) {
        ScheduledFuture<?> timeoutTask = timer.schedule(() -> call.completeExceptionally(new CallTimeoutException(
            "child " + childId + " did not answer within " + timeout.toMillis() + " ms")), timeout.toMillis(), TimeUnit.MILLISECONDS);
        call.whenComplete((r, e) -> timeoutTask.cancel(false));
    }

    /** Routes a reply to the request waiting for it; late replies are dropped. Any thread. */
    public void onReply(Object msg) {
        if (msg instanceof Messages.StartReply) {
            Messages.StartReply r = (Messages.StartReply)msg;
            StartCollector c = starts.get(r.requestId);
            if (c != null)
                c.onReply(r);
        }
        else if (msg instanceof Messages.StopReply) {
            Messages.StopReply r = (Messages.StopReply)msg;
            StopCollector c = stops.get(r.requestId);
            if (c != null)
                c.onReply(r.node, r.stopped, r.errors);
        }
        else if (msg instanceof Messages.AbortReply) {
            Messages.AbortReply r = (Messages.AbortReply)msg;
            AbortCollector c = aborts.get(r.requestId);
            if (c != null)
                c.onReply(r.node, r.stopped);
        }
        else if (msg instanceof Messages.CallReply) {
            Messages.CallReply r = (Messages.CallReply)msg;
            CompletableFuture<Object> f = calls.get(r.requestId);
            if (f == null)
                return;
            switch (r.failure) {
                case NONE:
                    f.complete(r.value);
                    break;
                case NOT_ACTIVE:
                    f.completeExceptionally(new NotActiveReplicaException(r.detail));
                    break;
                case NO_SUCH_CHILD:
                    f.completeExceptionally(new NoSuchChildException(r.detail));
                    break;
                case MAILBOX_FULL:
                    f.completeExceptionally(new MailboxFullException(r.detail));
                    break;
                default:
                    f.completeExceptionally(new ChildCallException(r.detail));
            }
        }
    }
}
