package io.processhub.ignite.transport;

import java.util.UUID;
import java.util.function.Consumer;
import org.apache.ignite.Ignite;
import org.apache.ignite.cluster.ClusterGroupEmptyException;
import org.apache.ignite.lang.IgniteBiPredicate;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Node-to-node messaging of one hub over Ignite messaging: a request topic (handled by members) and a
 * reply topic (handled by every node using the hub). Messages to the local node skip marshalling. Handlers
 * run on Ignite's public pool and must only hand work over.
 *
 * <p>A request goes to a remote node only once that node is known to listen ({@link ListeningNodes}); until then
 * it is held. A hello topic tells: a node that opens the hub asks every other node ({@code true}) once its own
 * listeners are up; a node that gets the question notes the asker as listening and answers ({@code false}), and
 * the answer tells the asker the same of it. Whichever of two nodes opens second asks the first, which listens
 * already, so both learn of each other.
 */
public final class Transport implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(Transport.class);
    private static final Boolean ASK = Boolean.TRUE;
    private static final Boolean ANSWER = Boolean.FALSE;

    private final Ignite ignite;
    private final UUID localNodeId;
    private final String requestTopic;
    private final String replyTopic;
    private final String helloTopic;
    private final ListeningNodes listening = new ListeningNodes();
    private Consumer<Object> requestHandler;
    private Consumer<Object> replyHandler;
    private IgniteBiPredicate<UUID, Object> requestListener;
    private IgniteBiPredicate<UUID, Object> replyListener;
    private IgniteBiPredicate<UUID, Object> helloListener;

    public Transport(Ignite ignite, String hubId) {
        this.ignite = ignite;
        this.localNodeId = ignite.cluster().localNode().id();
        this.requestTopic = "processhub." + hubId + ".request";
        this.replyTopic = "processhub." + hubId + ".reply";
        this.helloTopic = "processhub." + hubId + ".hello";
    }

    /** Starts listening, then says so to the other nodes; {@code requestHandler} is null on nodes that are not hub members. */
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
        helloListener = (node, msg) -> {
            onHello(node, ASK.equals(msg));
            return true;
        };
        ignite.message().localListen(helloTopic, helloListener);
        try {
            ignite.message(ignite.cluster().forRemotes()).send(helloTopic, ASK);
        }
        catch (ClusterGroupEmptyException e) {
            LOG.debug("No other node to say hello to on hub topic {}", helloTopic);
        }
    }

    private void onHello(UUID node, boolean asked) {
        for (Object held : listening.listens(node))
            send(node, held, requestTopic);
        if (asked)
            send(node, ANSWER, helloTopic);
    }

    /**
     * Sends a request, or holds it until the node listens (see the class comment); false if the node is gone or
     * the message cannot be sent.
     */
    public boolean request(UUID node, Object msg) {
        if (node.equals(localNodeId) && requestHandler != null) {
            requestHandler.accept(msg);
            return true;
        }
        if (ignite.cluster().node(node) == null)
            return false;
        if (listening.holdUnlessListening(node, msg)) {
            LOG.debug("Holding {} for node {} until it listens", msg.getClass().getSimpleName(), node);
            return true;
        }
        return send(node, msg, requestTopic);
    }

    public boolean reply(UUID node, Object msg) {
        if (node.equals(localNodeId) && replyHandler != null) {
            replyHandler.accept(msg);
            return true;
        }
        return send(node, msg, replyTopic);
    }

    /** A node left: requests held for it are dropped (their senders fail them as the node's other requests). */
    public void nodeLeft(UUID node) {
        listening.left(node);
    }

    private boolean send(UUID node, Object msg, String topic) {
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
        if (helloListener != null)
            ignite.message().stopLocalListen(helloTopic, helloListener);
        if (replyListener != null)
            ignite.message().stopLocalListen(replyTopic, replyListener);
        if (requestListener != null)
            ignite.message().stopLocalListen(requestTopic, requestListener);
    }
}
