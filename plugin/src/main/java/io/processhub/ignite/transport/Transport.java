package io.processhub.ignite.transport;

import java.util.UUID;
import java.util.function.Consumer;
import org.apache.ignite.Ignite;
import org.apache.ignite.lang.IgniteBiPredicate;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Node-to-node messaging of one hub over Ignite messaging: a request topic (handled by members) and a
 * reply topic (handled by every node using the hub). Messages to the local node skip marshalling. Handlers
 * run on Ignite's public pool and must only hand work over.
 */
public final class Transport implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(Transport.class);

    private final Ignite ignite;
    private final UUID localNodeId;
    private final String requestTopic;
    private final String replyTopic;
    private Consumer<Object> requestHandler;
    private Consumer<Object> replyHandler;
    private IgniteBiPredicate<UUID, Object> requestListener;
    private IgniteBiPredicate<UUID, Object> replyListener;

    public Transport(Ignite ignite, String hubId) {
        this.ignite = ignite;
        this.localNodeId = ignite.cluster().localNode().id();
        this.requestTopic = "processhub." + hubId + ".request";
        this.replyTopic = "processhub." + hubId + ".reply";
    }

    /** Starts listening; {@code requestHandler} is null on nodes that are not hub members. */
    public void open(Consumer<Object> requestHandler, Consumer<Object> replyHandler) {
        this.requestHandler = requestHandler;
        this.replyHandler = replyHandler;
        replyListener = (node, msg) -> {
            replyHandler.accept(msg);
            return true;
        };
        ignite.message().localListen(replyTopic, replyListener);
        if (requestHandler != null) {
            requestListener = (node, msg) -> {
                requestHandler.accept(msg);
                return true;
            };
            ignite.message().localListen(requestTopic, requestListener);
        }
    }

    /** Sends a request; false if the node is gone or the message cannot be sent. */
    public boolean request(UUID node, Object msg) {
        return send(node, msg, requestTopic, requestHandler);
    }

    public boolean reply(UUID node, Object msg) {
        return send(node, msg, replyTopic, replyHandler);
    }

    private boolean send(UUID node, Object msg, String topic, Consumer<Object> localHandler) {
        if (node.equals(localNodeId) && localHandler != null) {
            localHandler.accept(msg);
            return true;
        }
        try {
            ignite.message(ignite.cluster().forNodeId(node)).send(topic, msg);
            return true;
        }
        catch (RuntimeException e) {
            // Expected when the node has just left (or is leaving): the caller treats it as gone.
            LOG.debug("Could not send {} to node {}", msg.getClass().getSimpleName(), node, e);
            return false;
        }
    }

    @Override
    public void close() {
        if (replyListener != null)
            ignite.message().stopLocalListen(replyTopic, replyListener);
        if (requestListener != null)
            ignite.message().stopLocalListen(requestTopic, requestListener);
    }
}
