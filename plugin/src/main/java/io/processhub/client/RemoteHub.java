package io.processhub.client;

import io.processhub.CallTimeoutException;
import io.processhub.ChildCallException;
import io.processhub.ChildInfo;
import io.processhub.ChildMapping;
import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import io.processhub.NoSuchChildException;
import io.processhub.ProcessHubException;
import io.processhub.Scope;
import io.processhub.StartOptions;
import io.processhub.StartResult;
import io.processhub.StopOptions;
import io.processhub.StopResult;
import io.processhub.UnknownHubException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.ignite.client.ClientException;

/**
 * One hub seen from an Ignite thin client: the {@link io.processhub.ProcessHub} API where it makes sense remotely.
 * Obtain it with {@code ProcessHubClient.of(igniteClient).hub("orders")}.
 *
 * <p>Differences from {@code ProcessHub}:
 * <ul>
 *   <li>Every method is a request to the server node the thin client picks, which answers from its own copy of
 *       the registry or forwards to the hub's members; reads are network round trips, not local map reads.</li>
 *   <li>There is no local node: no {@code localChildren()}, no {@code isLocked()}, and {@link #whichChildren}
 *       takes only {@link Scope#GLOBAL}.</li>
 *   <li>Hooks are not available remotely: register handlers on the server nodes (XML or
 *       {@code ProcessHubs.hub(ignite, id).hooks()}).</li>
 *   <li>Child classes are named, not loaded: {@code ChildSpec.of(id, "com.acme.OrderWorker", args...)}. The class
 *       must be on the servers' classpath only.</li>
 *   <li>Constructor arguments, call and cast messages and their replies cross the wire through Ignite's binary
 *       marshaller: use strings, numbers, collections, or plain classes (no records, no lambdas) present on the
 *       classpath of the client and of the servers.</li>
 * </ul>
 *
 * <p>Errors are the same typed exceptions as on a server node: {@link UnknownHubException},
 * {@link NoSuchChildException}, {@link CallTimeoutException}, {@link ChildCallException} (with the handler's
 * message), {@link IllegalArgumentException} for arguments the server refuses; per-child problems are
 * {@code ChildError}s of the results. A failure of Ignite itself (connection lost, an argument the binary
 * marshaller cannot write) is a {@link ProcessHubException} whose cause is Ignite's exception. Futures fail with
 * these exceptions; synchronous methods throw them.
 */
public final class RemoteHub {
    private final String hubId;
    private final ProcessHubService service;
    private final ServiceRequests requests;
    private final ChildRoutes routes;

    RemoteHub(String hubId, ProcessHubService service, ServiceRequests requests, ChildRoutes routes) {
        this.hubId = hubId;
        this.service = service;
        this.requests = requests;
        this.routes = routes;
    }

    /** The hub's id. */
    public String hubId() {
        return hubId;
    }

    /** Starts one child with default options. */
    public CompletableFuture<StartResult> startChild(ChildSpec spec) {
        return startChildren(listOf(spec), StartOptions.defaults());
    }

    /** Starts one child. */
    public CompletableFuture<StartResult> startChild(ChildSpec spec, StartOptions options) {
        return startChildren(listOf(spec), options);
    }

    /**
     * Starts children on their owners, as {@code ProcessHub.startChildren}: bad specs (null or blank id, the same
     * id twice, unknown class, a constructor or {@code start} that throws) become errors of the result, and
     * {@link StartOptions} (timeout, checkExisting, onFailure, metadata, childMapping) apply as there.
     */
    public CompletableFuture<StartResult> startChildren(Collection<ChildSpec> specs, StartOptions options) {
        Objects.requireNonNull(specs, "specs");
        StartOptions opts = options == null ? StartOptions.defaults() : options;
        List<ChildSpec> list = ChildMapping.apply(specs, opts.childMapping()); // the mapping travels in the specs
        return requests.async("startChildren", hubId, () -> service.startBatch(hubId, new SpecBatch(list),
            opts.timeout().toMillis(), opts.checkExisting(), opts.onFailure(), new HashMap<>(opts.metadata())))
            .thenApply(batch -> {
                StartResult res = batch.toStartResult();
                routes.learnStarted(res.started());
                return res;
            });
    }

    /** Stops one child with default options. */
    public CompletableFuture<StopResult> stopChild(String childId) {
        return stopChildren(listOf(childId), StopOptions.defaults());
    }

    /** Stops one child. */
    public CompletableFuture<StopResult> stopChild(String childId, StopOptions options) {
        return stopChildren(listOf(childId), options);
    }

    /** Stops children wherever they run and unregisters them; unknown ids are NOT_FOUND errors of the result. */
    public CompletableFuture<StopResult> stopChildren(Collection<String> childIds, StopOptions options) {
        Objects.requireNonNull(childIds, "childIds");
        StopOptions opts = options == null ? StopOptions.defaults() : options;
        List<String> list = new ArrayList<>(childIds);
        return requests.async("stopChildren", hubId, () -> service.stopChildren(hubId, list, opts.timeout().toMillis()));
    }

    /** The registry's entry for a child: spec, metadata and running replicas. */
    public Optional<ChildInfo> lookup(String childId) {
        return Optional.ofNullable(requests.sync("lookup", hubId, () -> service.lookup(hubId, childId)));
    }

    /** Refs of a child's running replicas (empty if unknown). */
    public List<ChildRef> refs(String childId) {
        return requests.sync("refs", hubId, () -> service.refs(hubId, childId));
    }

    /** The active replica of a child. */
    public Optional<ChildRef> activeRef(String childId) {
        return Optional.ofNullable(requests.sync("activeRef", hubId, () -> service.activeRef(hubId, childId)));
    }

    /** Every child of the hub. */
    public List<ChildInfo> children() {
        return requests.sync("children", hubId, () -> service.children(hubId));
    }

    /** Children whose metadata has {@code tag} under the key {@code "tag"}. */
    public List<ChildInfo> tagQuery(String tag) {
        return requests.sync("tagQuery", hubId, () -> service.tagQuery(hubId, tag));
    }

    /**
     * Refs of every running replica of the hub.
     *
     * @throws IllegalArgumentException for {@link Scope#LOCAL}: a thin client has no local node.
     */
    public List<ChildRef> whichChildren(Scope scope) {
        if (scope != Scope.GLOBAL)
            throw new IllegalArgumentException("a thin client has no local children: only Scope.GLOBAL is available, not " + scope);
        return requests.sync("whichChildren", hubId, () -> service.globalChildren(hubId));
    }

    /** Consistent ids of the hub's member nodes, sorted. */
    public List<String> nodes() {
        return requests.sync("nodes", hubId, () -> service.nodes(hubId));
    }

    /** Whether the side of the cluster the request reached lacks quorum and refuses to run children. */
    public boolean isPartitioned() {
        return requests.sync("isPartitioned", hubId, () -> service.isPartitioned(hubId));
    }

    /**
     * Drains a member, as {@code ProcessHub.drain}: its children move to their next owners (with their state under
     * HotSwap) and it takes no new ones. Completes once it runs none of the hub's children; fails with
     * {@link io.processhub.DrainException} if refused (unknown node, client node, not a member, the last member that
     * is not draining, a guided hub) or if the node left or was undrained first, and with a
     * {@link ProcessHubException} if it still runs children after {@code timeout} (the drain goes on: wait again
     * by calling {@code drain} again).
     */
    public CompletableFuture<Void> drain(String node, Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        long millis = timeout.toMillis();
        return requests.async("drain", hubId, () -> service.drain(hubId, node, millis));
    }

    /** Ends a member's drain, as {@code ProcessHub.undrain}; completes once it is recorded cluster-wide. */
    public CompletableFuture<Void> undrain(String node) {
        return requests.async("undrain", hubId, () -> service.undrain(hubId, node));
    }

    /**
     * Sends a message to the child's active replica and completes with its reply. Fails with
     * {@link NoSuchChildException} if no replica is registered, {@link CallTimeoutException} after
     * {@code timeout}, {@link ChildCallException} if the handler threw. Message and reply must be
     * binary-marshallable and on both classpaths (see the class comment).
     *
     * <p>The request runs on the client's request pool; a caller that waits for the future at once with
     * {@code get()} or {@code join()} runs it on its own thread instead, as {@link #callAndWait} does (a timed
     * {@code get} only waits).
     */
    public CompletableFuture<Object> call(String childId, Object message, Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        long millis = timeout.toMillis();
        return requests.async("call", hubId, () -> learnedCall(childId, message, millis));
    }

    /**
     * {@link #call} for a caller that waits for the reply anyway: the request runs on the caller's thread, which
     * saves the hop to the client's request pool and back (a good part of a call's cost on a fast network).
     * Throws what the future of {@code call} fails with.
     */
    public Object callAndWait(String childId, Object message, Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        long millis = timeout.toMillis();
        return requests.sync("call", hubId, () -> learnedCall(childId, message, millis));
    }

    /** The call, remembering where the child runs for the next one. */
    private ServiceReply<Object> learnedCall(String childId, Object message, long millis) {
        ServiceReply<Object> reply = requests.settled(routedCall(childId, message, millis));
        if (reply != null)
            routes.learn(childId, reply.route());
        return reply;
    }

    /** The call sent straight to the child's node if known (ChildRoutes), else to any node, which forwards it. */
    private ServiceReply<Object> routedCall(String childId, Object message, long millis) {
        ProcessHubService routed = routes.serviceFor(childId);
        if (routed != null) {
            try {
                return routed.call(hubId, childId, message, millis);
            }
            catch (ClientException e) {
                routes.learn(childId, null); // the next call goes to any node, which finds the child
                if (!ChildRoutes.nodeGone(e))
                    throw e;
                // That node has left: no server saw the call, send it again.
            }
        }
        return service.call(hubId, childId, message, millis);
    }

    /**
     * Sends a message to the child's active replica without waiting for it to be handled. Returns once a server
     * node accepted it.
     *
     * @throws NoSuchChildException if no replica is registered.
     */
    public void cast(String childId, Object message) {
        requests.sync("cast", hubId, () -> service.cast(hubId, childId, message));
    }

    /** A one-element list that may hold null (the server reports a null spec or id as a per-child error). */
    private static <T> List<T> listOf(T item) {
        List<T> res = new ArrayList<>(1);
        res.add(item);
        return res;
    }

    @Override
    public String toString() {
        return "RemoteHub[" + hubId + ']';
    }
}
