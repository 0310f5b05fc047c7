package io.processhub.ignite.service;

import io.processhub.CallTimeoutException;
import io.processhub.ChildCallException;
import io.processhub.MailboxFullException;
import io.processhub.ChildInfo;
import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import io.processhub.NoSuchChildException;
import io.processhub.ProcessHub;
import io.processhub.ProcessHubPlugin;
import io.processhub.Scope;
import io.processhub.StartOptions;
import io.processhub.StartResult;
import io.processhub.StopOptions;
import io.processhub.StopResult;
import io.processhub.UnknownHubException;
import io.processhub.client.ProcessHubService;
import io.processhub.client.ServiceReply;
import io.processhub.client.ServiceReply.Failure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * Methods run on the thin-client request thread that invoked them (never an Ignite discovery thread), which may
 * wait for the hub's future, for at most the request's own timeout plus {@link #GRACE_MILLIS}.
 */
public final class ProcessHubServiceImpl implements ProcessHubService, Service {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LogManager.getLogger(ProcessHubServiceImpl.class);

    /**
     * How much longer than its own timeout a request waits for the hub. The hub honours the timeout itself
     * (NODE_TIMEOUT errors, CallTimeoutException); this only guards the thread if it did not.
     */
    public static final long GRACE_MILLIS = 5_000;

    @IgniteInstanceResource
    private transient Ignite ignite;

    @Override
    public ServiceReply<StartResult> startChildren(String hubId, List<ChildSpec> specs, long timeoutMillis,
        boolean checkExisting, StartOptions.OnFailure onFailure, Map<String, String> metadata) {
        return reply(() -> {
            StartOptions opts = StartOptions.defaults().timeout(Duration.ofMillis(timeoutMillis))
                .checkExisting(checkExisting)
                .onFailure(onFailure == null ? StartOptions.OnFailure.CONTINUE : onFailure)
                .metadata(metadata == null ? Map.of() : metadata);
            // A rollback stops the started children with the same timeout: up to twice the time.
            return await(hub(hubId).startChildren(specs, opts), saturatedAdd(timeoutMillis, timeoutMillis));
        });
    }

    @Override
    public ServiceReply<StopResult> stopChildren(String hubId, List<String> childIds, long timeoutMillis) {
        return reply(() -> await(hub(hubId).stopChildren(childIds, StopOptions.defaults().timeout(Duration.ofMillis(timeoutMillis))),
            timeoutMillis));
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
        ServiceReply<Object> res = reply(() -> {
            CompletableFuture<Object> reply = hub(hubId).call(childId, message, Duration.ofMillis(timeoutMillis));
            try {
                return await(reply, timeoutMillis);
            }
            catch (TimeoutException e) {
                throw new CallTimeoutException("no reply from child " + childId + " of hub " + hubId + " within "
                    + timeoutMillis + " ms");
            }
        });
        return res.withRoute(routeOf(hubId, childId));
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
        ProcessHubPlugin plugin = ignite.plugin(ProcessHubPlugin.NAME);
        return plugin.hub(hubId);
    }

    private static <T> T await(CompletableFuture<T> future, long timeoutMillis) throws Exception {
        try {
            return future.get(saturatedAdd(Math.max(0, timeoutMillis), GRACE_MILLIS), TimeUnit.MILLISECONDS);
        }
        catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ? (Exception)e.getCause() : e;
        }
    }

    /** A sum that stays at Long.MAX_VALUE instead of wrapping, for timeouts a client may give as "forever". */
    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    /** Runs a request and turns its exceptions into typed failures; the thin client gets their message. */
    private static <T> ServiceReply<T> reply(Request<T> request) {
        try {
            return ServiceReply.ok(request.run());
        }
        catch (Exception e) {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            Failure failure = failureOf(cause);
            if (failure == Failure.FAILED)
                LOG.warn("ProcessHub thin-client request failed", cause);
            if (cause instanceof InterruptedException)
                Thread.currentThread().interrupt();
            return ServiceReply.failed(failure, messageOf(failure, cause));
        }
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
        if (t instanceof IllegalArgumentException || t instanceof NullPointerException)
            return Failure.BAD_ARGUMENT;
        return Failure.FAILED;
    }

    private static String messageOf(Failure failure, Throwable t) {
        if (failure == Failure.BAD_ARGUMENT && t instanceof NullPointerException)
            return "missing argument: " + t.getMessage() + " must not be null";
        if (t instanceof TimeoutException)
            return "the hub did not answer in time";
        return failure == Failure.FAILED ? t.getClass().getName() + ": " + t.getMessage() : t.getMessage();
    }

    /** One request's work, allowed to throw what the hub's API throws. */
    private interface Request<T> {
        public T run() throws Exception;
    }
}
