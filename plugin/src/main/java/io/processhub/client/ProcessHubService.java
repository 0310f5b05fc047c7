package io.processhub.client;

import io.processhub.ChildInfo;
import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import io.processhub.StartOptions;
import io.processhub.StartResult;
import io.processhub.StopResult;
import java.util.List;
import java.util.Map;

/**
 * The Ignite service every server node with the ProcessHub plugin hosts under {@link #NAME}: the hubs of the
 * cluster for Ignite thin clients. Use it through {@link ProcessHubClient}, which turns its replies into the
 * {@link io.processhub.ProcessHub} API shape and typed exceptions; call it directly only from other languages'
 * thin clients.
 *
 * <p>Every argument and reply crosses the wire through Ignite's binary marshaller: plain classes (no records).
 * Every method answers a {@link ServiceReply}: its value, or the typed failure (unknown hub, no such child, call
 * timeout, a handler that threw, a bad argument) with the server's explanation. A request that waits for the
 * cluster (start, stop, call) holds the server's client-connector thread at most about a second: if it still runs
 * then, it answers {@link ServiceReply.Failure#PENDING} with a ticket, and {@link #result} gives its outcome. The node handling a request
 * need not run the hub: it forwards to the hub's members like {@code ProcessHubs.hub(ignite, hubId)} does.
 */
public interface ProcessHubService {
    /** The service name (the same as the plugin's). */
    String NAME = "processhub";

    /**
     * Starts children, as {@link io.processhub.ProcessHub#startChildren} with the options given field by field.
     * Answers once every owner answered or {@code timeoutMillis} passed (late owners get NODE_TIMEOUT errors).
     */
    ServiceReply<StartResult> startChildren(String hubId, List<ChildSpec> specs, long timeoutMillis,
        boolean checkExisting, StartOptions.OnFailure onFailure, Map<String, String> metadata);

    /**
     * {@link #startChildren} with the specs and the result in a compact form ({@link SpecBatch},
     * {@link StartBatchResult}: their Javadoc gives the layout): the form {@link ProcessHubClient} uses. At 10,000
     * children Ignite's default form of the spec list and of the result's refs cost more than the start itself.
     * A batch the server cannot read answers {@link ServiceReply.Failure#BAD_ARGUMENT} saying why.
     */
    ServiceReply<StartBatchResult> startBatch(String hubId, SpecBatch specs, long timeoutMillis,
        boolean checkExisting, StartOptions.OnFailure onFailure, Map<String, String> metadata);

    /** Stops children, as {@link io.processhub.ProcessHub#stopChildren}. */
    ServiceReply<StopResult> stopChildren(String hubId, List<String> childIds, long timeoutMillis);

    /** The registry entry of a child as the handling node sees it; a null value if there is none. */
    ServiceReply<ChildInfo> lookup(String hubId, String childId);

    /** Refs of a child's running replicas (empty if unknown). */
    ServiceReply<List<ChildRef>> refs(String hubId, String childId);

    /** The active replica of a child; a null value if none is registered. */
    ServiceReply<ChildRef> activeRef(String hubId, String childId);

    /** Every child of the hub. */
    ServiceReply<List<ChildInfo>> children(String hubId);

    /** Children whose metadata has {@code tag} under the key {@code "tag"}. */
    ServiceReply<List<ChildInfo>> tagQuery(String hubId, String tag);

    /** Refs of every running replica of the hub, wherever it runs ({@code whichChildren(GLOBAL)}). */
    ServiceReply<List<ChildRef>> globalChildren(String hubId);

    /** Consistent ids of the hub's member nodes, sorted. */
    ServiceReply<List<String>> nodes(String hubId);

    /** Whether the handling node's side of the cluster lacks quorum for the hub. */
    ServiceReply<Boolean> isPartitioned(String hubId);

    /** Sends {@code message} to the child's active replica and answers its reply, or a failure after {@code timeoutMillis}. */
    ServiceReply<Object> call(String hubId, String childId, Object message, long timeoutMillis);

    /** Sends {@code message} to the child's active replica without waiting for it to be handled. */
    ServiceReply<Void> cast(String hubId, String childId, Object message);

    /**
     * Drains a member ({@link io.processhub.ProcessHub#drain}): answers once it runs none of the hub's children, or
     * a failure after {@code timeoutMillis} (the drain goes on). A refusal is {@link ServiceReply.Failure#DRAIN_REFUSED}.
     */
    ServiceReply<Void> drain(String hubId, String node, long timeoutMillis);

    /** Ends a member's drain ({@link io.processhub.ProcessHub#undrain}); answers once it is recorded. */
    ServiceReply<Void> undrain(String hubId, String node);

    /**
     * The outcome of a request that answered {@link ServiceReply.Failure#PENDING}: its reply, or the same pending
     * reply again while it still runs. Ask the node the pending reply names ({@link ServiceReply#ticketNode()}).
     */
    ServiceReply<Object> result(long ticket);
}
