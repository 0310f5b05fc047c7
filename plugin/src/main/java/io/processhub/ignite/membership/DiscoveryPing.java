package io.processhub.ignite.membership;

import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.UUID;
import org.apache.ignite.spi.IgniteSpiOperationTimeoutHelper;
import org.apache.ignite.spi.discovery.tcp.TcpDiscoverySpi;
import org.apache.ignite.spi.discovery.tcp.messages.TcpDiscoveryAbstractMessage;
import org.apache.ignite.spi.discovery.tcp.messages.TcpDiscoveryPingRequest;
import org.apache.ignite.spi.discovery.tcp.messages.TcpDiscoveryPingResponse;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Ignite's own discovery ping, sent to an address outside this node's topology: a ping request through the
 * node's {@link TcpDiscoverySpi} (its socket, header and marshaller, so whatever the SPI does to its sockets applies
 * to the ping too), answered by any live discovery endpoint with its node id, whichever cluster it belongs to.
 * Ignite pings only nodes of its own ring; the SPI's socket methods are protected, hence the reflection. Blocks up
 * to the timeout: never call it on Ignite's threads.
 */
final class DiscoveryPing {
    private static final Logger LOG = LogManager.getLogger(DiscoveryPing.class);

    private static final Method OPEN = method("openSocket", InetSocketAddress.class, IgniteSpiOperationTimeoutHelper.class);
    private static final Method WRITE = method("writeToSocket", Socket.class, TcpDiscoveryAbstractMessage.class, long.class);
    private static final Method READ = method("readMessage", Socket.class, InputStream.class, long.class);

    private final TcpDiscoverySpi spi;
    private final UUID localNodeId;

    DiscoveryPing(TcpDiscoverySpi spi, UUID localNodeId) {
        this.spi = spi;
        this.localNodeId = localNodeId;
    }

    private static Method method(String name, Class<?>... params) {
        try {
            Method m = TcpDiscoverySpi.class.getDeclaredMethod(name, params);
            m.setAccessible(true);
            return m;
        }
        catch (NoSuchMethodException e) {
            throw new IllegalStateException("TcpDiscoverySpi." + name + " not found: this Ignite version is not supported", e);
        }
    }

    /** The id of the node listening at {@code addr}, or null if none answered within {@code timeoutMillis}. */
    UUID ping(InetSocketAddress addr, long timeoutMillis) {
        Socket sock = null;
        try {
            sock = (Socket)OPEN.invoke(spi, addr, new IgniteSpiOperationTimeoutHelper(timeoutMillis));
            WRITE.invoke(spi, sock, new TcpDiscoveryPingRequest(localNodeId, null), timeoutMillis);
            TcpDiscoveryPingResponse res = (TcpDiscoveryPingResponse)READ.invoke(spi, sock, null, timeoutMillis);
            return res.creatorNodeId();
        }
        catch (InvocationTargetException | RuntimeException e) {
            Throwable cause = e instanceof InvocationTargetException ? e.getCause() : e;
            LOG.debug("No discovery answer from {}: {}", addr, String.valueOf(cause));
            return null;
        }
        catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
        finally {
            if (sock != null) {
                try {
                    sock.close();
                }
                catch (Exception ignored) {
                    // closing a probe socket: nothing to do
                }
            }
        }
    }
}
