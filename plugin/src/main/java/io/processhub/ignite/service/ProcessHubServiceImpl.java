package io.processhub.ignite.service;

import io.processhub.CallTimeoutException;
import io.processhub.ChildCallException;
import io.processhub.MailboxFullException;
import io.processhub.ChildInfo;
import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import io.processhub.DrainException;
import io.processhub.NoSuchChildException;
import io.processhub.ProcessHubException;
import io.processhub.ProcessHub;
import io.processhub.ProcessHubPlugin;
import io.processhub.Scope;
import io.processhub.StartOptions;
import io.processhub.StartResult;
import io.processhub.StopOptions;
import io.processhub.StopResult;
import io.processhub.UnknownHubException;
import io.processhub.client.ProcessHubService;
import io.processhub.ignite.HubApi;
import io.processhub.client.ServiceReply;
import io.processhub.client.SpecBatch;
import io.processhub.client.StartBatchResult;
import io.processhub.client.ServiceReply.Failure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.ignite.Ignite;
import org.apache.ignite.resources.IgniteInstanceResource;
import org.apache.ignite.services.Service;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The node singleton behind {@link ProcessHubService}: each method hands the request to this node's
 * {@code ProcessHubPlugin.hub(hubId)} and turns its outcome, or its exception, into a {@link ServiceReply}.
 * Methods run on the thin-client request thread that invoked them (a client-connector thread, never an Ignite
 * discovery thread); one that waits for the hub holds it at most {@link Tickets#HOLD_MILLIS}, then answers a ticket
 * ({@link Tickets}).
 */
public final class ProcessHubServiceImpl implements ProcessHubService, Service {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LogManager.getLogger(ProcessHubServiceImpl.class);

    @IgniteInstanceResource
    private transient Ignite ignite;
    /**
     * How much longer than its own timeout a start or stop may take before it fails. The hub honours the timeout
     * itself (NODE_TIMEOUT errors); this only guards against a future that never completes.
     */
    public static final long GRACE_MILLIS = 5_000;
    /** An undrain only records the change cluster-wide: a discovery round trip. */
    private static final long UNDRAIN_TIMEOUT_MILLIS = 30_000;

    /** Set in {@link #init()}: the service object Ignite deploys is a copy made on each node. */
    private transient Tickets tickets;
    /** This node's plugin, looked up at the first request. */
    private transient volatile ProcessHubPlugin plugin;

    @Override
    public void init() {
        tickets = new Tickets(ignite.cluster().localNode().id());
    }

    @Override
    public ServiceReply<StartResult> startChildren(String hubId, List<ChildSpec> specs, long timeoutMillis,
        boolean checkExisting, StartOptions.OnFailure onFailure, Map<String, String> metadata) {
        // A rollback stops the started children with the same timeout: up to twice the time.
        return waiting(saturatedAdd(timeoutMillis, timeoutMillis),
            () -> start(hubId, specs, timeoutMillis, checkExisting, onFailure, metadata));
    }

    @Override
    public ServiceReply<StartBatchResult> startBatch(String hubId, SpecBatch specs, long timeoutMillis,
        boolean checkExisting, StartOptions.OnFailure onFailure, Map<String, String> metadata) {
        return waiting(saturatedAdd(timeoutMillis, timeoutMillis),
            () -> start(hubId, Objects.requireNonNull(specs, "specs").specs(), timeoutMillis, checkExisting, onFailure, metadata)
                .thenApply(StartBatchResult::new));
    }

    private CompletableFuture<StartResult> start(String hubId, List<ChildSpec> specs, long timeoutMillis,
        boolean checkExisting, StartOptions.OnFailure onFailure, Map<String, String> metadata) {
        StartOptions opts = StartOptions.defaults().timeout(Duration.ofMillis(timeoutMillis))
            .checkExisting(checkExisting)
            .onFailure(onFailure == null ? StartOptions.OnFailure.CONTINUE : onFailure)
            .metadata(metadata == null ? Map.of() : metadata);
        return hub(hubId).startChildren(specs, opts);
    }

    @Override
    public ServiceReply<StopResult> stopChildren(String hubId, List<String> childIds, long timeoutMillis) {
        return waiting(timeoutMillis, () -> hub(hubId).stopChildren(childIds, StopOptions.defaults().timeout(Duration.ofMillis(timeoutMillis))));
    }

    @Override
    public ServiceReply<ChildInfo> lookup(String hubId, String childId) {
        return reply(() -> hub(hubId).lookup(childId).orElse(null));
    }

    @Override
    public ServiceReply<List<ChildRef>> refs(String hubId, String childId) {
        return reply(() -> new ArrayList<>(hub(hubId).refs(childId)));
    }

    @Override
    public ServiceReply<ChildRef> activeRef(String hubId, String childId) {
        return reply(() -> hub(hubId).activeRef(childId).orElse(null));
    }

    @Override
    public ServiceReply<List<ChildInfo>> children(String hubId) {
        return reply(() -> new ArrayList<>(hub(hubId).children()));
    }

    @Override
    public ServiceReply<List<ChildInfo>> tagQuery(String hubId, String tag) {
        return reply(() -> new ArrayList<>(hub(hubId).tagQuery(tag)));
    }

    @Override
    public ServiceReply<List<ChildRef>> globalChildren(String hubId) {
        return reply(() -> new ArrayList<>(hub(hubId).whichChildren(Scope.GLOBAL)));
    }

    @Override
    public ServiceReply<List<String>> nodes(String hubId) {
        return reply(() -> new ArrayList<>(hub(hubId).nodes()));
    }

    @Override
    public ServiceReply<Boolean> isPartitioned(String hubId) {
        return reply(() -> hub(hubId).isPartitioned());
    }

    @Override
    public ServiceReply<Object> call(String hubId, String childId, Object message, long timeoutMillis) {
        CompletableFuture<Object> reply;
        try {
            // No hop to the callback pool and no timer: this thread only waits, and times the call out itself.
            reply = api(hubId).callAwaited(childId, message, Duration.ofMillis(timeoutMillis));
        }
        catch (RuntimeException e) {
            return failedReply(e);
        }
        long hold = Math.min(Math.max(0, timeoutMillis), Tickets.HOLD_MILLIS);
        try {
            return ServiceReply.ok(reply.get(hold, TimeUnit.MILLISECONDS), routeOf(hubId, childId));
        }
        catch (TimeoutException e) {
            if (timeoutMillis <= Tickets.HOLD_MILLIS) {
                CallTimeoutException timeout = callTimeout(hubId, childId, timeoutMillis);
                reply.completeExceptionally(timeout);
                return ProcessHubServiceImpl.<Object>failedReply(timeout).withRoute(routeOf(hubId, childId));
            }
            // Longer than a hold: the rest of the wait goes on under a ticket, timed out by the future itself.
            CompletableFuture<ServiceReply<Object>> later = reply
                .orTimeout(timeoutMillis - hold, TimeUnit.MILLISECONDS)
                .handle((v, err) -> (err == null ? ServiceReply.ok(v) : failedReply(timedOut(err)
                    ? callTimeout(hubId, childId, timeoutMillis) : err)).withRoute(routeOf(hubId, childId)));
            return tickets.answer(later);
        }
        catch (ExecutionException e) {
            return ProcessHubServiceImpl.<Object>failedReply(e.getCause()).withRoute(routeOf(hubId, childId));
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failedReply(e);
        }
    }

    @Override
    public ServiceReply<Void> drain(String hubId, String node, long timeoutMillis) {
        // Timed out here, not by waiting(): the drain goes on, and the reply says so.
        return waiting(timeoutMillis, () -> hub(hubId).drain(node).orTimeout(Math.max(0, timeoutMillis), TimeUnit.MILLISECONDS)
            .exceptionally(err -> {
                if (timedOut(err))
                    throw new ProcessHubException(node + " still runs children of hub " + hubId + " after " + timeoutMillis
                        + " ms: the drain goes on");
                throw err instanceof CompletionException ? (CompletionException)err : new CompletionException(err);
            }));
    }

    @Override
    public ServiceReply<Void> undrain(String hubId, String node) {
        return waiting(UNDRAIN_TIMEOUT_MILLIS, () -> hub(hubId).undrain(node));
    }

    @Override
    public ServiceReply<Object> result(long ticket) {
        return tickets.collect(ticket);
    }

    private static CallTimeoutException callTimeout(String hubId, String childId, long timeoutMillis) {
        return new CallTimeoutException("no reply from child " + childId + " of hub " + hubId + " within " + timeoutMillis + " ms");
    }

    private static boolean timedOut(Throwable err) {
        Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        return cause instanceof TimeoutException;
    }

    /** Where the child's active replica runs, for the thin client's next call (ChildRoutes); null if unknown. */
    private UUID routeOf(String hubId, String childId) {
        try {
            return childId == null ? null : hub(hubId).activeRef(childId).map(ChildRef::nodeId).orElse(null);
        }
        catch (RuntimeException e) {
            return null; // an unknown hub: the reply says so already
        }
    }

    @Override
    public ServiceReply<Void> cast(String hubId, String childId, Object message) {
        return reply(() -> {
            hub(hubId).cast(childId, message);
            return null;
        });
    }

    private ProcessHub hub(String hubId) {
        ProcessHubPlugin p = plugin;
        if (p == null)
            plugin = p = ignite.plugin(ProcessHubPlugin.NAME); // once per node: the lookup goes through Ignite's gateway
        return p.hub(hubId);
    }

    private HubApi api(String hubId) {
        return (HubApi)hub(hubId);
    }

    /** Runs a request and turns its exceptions into typed failures; the thin client gets their message. */
    private static <T> ServiceReply<T> reply(Request<T> request) {
        try {
            return ServiceReply.ok(request.run());
        }
        catch (Exception e) {
            return failedReply(e);
        }
    }

    /**
     * Starts a request that waits for the hub, and answers its reply within one hold or a ticket (see Tickets). The
     * hub honours {@code timeoutMillis} itself (NODE_TIMEOUT errors); {@link #GRACE_MILLIS} later the request fails
     * anyway, so a ticket never waits forever if it did not.
     */
    private <T> ServiceReply<T> waiting(long timeoutMillis, Request<CompletableFuture<T>> request) {
        CompletableFuture<T> future;
        try {
            future = request.run();
        }
        catch (Exception e) {
            return failedReply(e);
        }
        return tickets.answer(future.orTimeout(saturatedAdd(Math.max(0, timeoutMillis), GRACE_MILLIS), TimeUnit.MILLISECONDS)
            .handle((v, err) -> err == null ? ServiceReply.ok(v) : failedReply(err)));
    }

    /** A sum that stays at Long.MAX_VALUE instead of wrapping, for timeouts a client may give as "forever". */
    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    private static <T> ServiceReply<T> failedReply(Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        Failure failure = failureOf(cause);
        if (failure == Failure.FAILED)
            LOG.warn("ProcessHub thin-client request failed", cause);
        if (cause instanceof InterruptedException)
            Thread.currentThread().interrupt();
        return ServiceReply.failed(failure, messageOf(failure, cause));
    }

    private static Failure failureOf(Throwable t) {
        if (t instanceof UnknownHubException)
            return Failure.UNKNOWN_HUB;
        if (t instanceof NoSuchChildException)
            return Failure.NO_SUCH_CHILD;
        if (t instanceof CallTimeoutException)
            return Failure.CALL_TIMEOUT;
        if (t instanceof ChildCallException)
            return Failure.CHILD_CALL_FAILED;
        if (t instanceof MailboxFullException)
            return Failure.MAILBOX_FULL;
        if (t instanceof DrainException)
            return Failure.DRAIN_REFUSED;
        if (t instanceof IllegalArgumentException || t instanceof NullPointerException)
            return Failure.BAD_ARGUMENT;
        return Failure.FAILED;
    }

    private static String messageOf(Failure failure, Throwable t) {
        if (failure == Failure.BAD_ARGUMENT && t instanceof NullPointerException)
            return "missing argument: " + t.getMessage() + " must not be null";
        if (t instanceof TimeoutException)
            return "the hub did not answer in time";
        if (t instanceof DrainException)
            return ((DrainException)t).toWire();
        return failure == Failure.FAILED ? t.getClass().getName() + ": " + t.getMessage() : t.getMessage();
    }

    /** One request's work, allowed to throw what the hub's API throws. */
    private interface Request<T> {
        T run() throws Exception;
    }
}
