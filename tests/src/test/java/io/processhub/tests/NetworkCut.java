package io.processhub.tests;

import io.processhub.HubConfiguration;
import io.processhub.examples.LocalNode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Set;
import org.apache.ignite.IgniteCheckedException;
import org.apache.ignite.IgniteException;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.lang.IgniteInClosure;
import org.apache.ignite.plugin.extensions.communication.Message;
import org.apache.ignite.spi.IgniteSpiException;
import org.apache.ignite.spi.IgniteSpiOperationTimeoutException;
import org.apache.ignite.spi.IgniteSpiOperationTimeoutHelper;
import org.apache.ignite.spi.communication.tcp.TcpCommunicationSpi;
import org.apache.ignite.spi.discovery.tcp.TcpDiscoverySpi;
import org.apache.ignite.spi.discovery.tcp.ipfinder.vm.TcpDiscoveryVmIpFinder;
import org.apache.ignite.spi.discovery.tcp.messages.TcpDiscoveryAbstractMessage;

/**
 * A real network cut between two sides of a cluster in this JVM (the pattern of Ignite's own topology split tests):
 * once {@link #cut()} is called, every discovery socket and communication message from one side to the other fails
 * as a timed-out network would, so each side declares the other failed and goes on as a cluster of its own.
 *
 * <p>Each node gets a fixed discovery port and communication port (its index in {@code nodes}), so a socket's remote
 * port names the node at its other end. Only the sender drops: a node never writes to a port of the other side, and
 * answers on incoming sockets only what it received. {@link #heal()} lifts the cut; a cluster can be cut again, also
 * along another line ({@link #cut(Set)}).
 */
final class NetworkCut {
    private final List<String> nodes;
    private volatile Set<String> minority;
    private volatile boolean cut;

    NetworkCut(List<String> nodes, Set<String> minority) {
        this.nodes = nodes;
        this.minority = minority;
    }

    void cut() {
        cut = true;
    }

    /** Cuts between {@code minority} and the other nodes. */
    void cut(Set<String> minority) {
        this.minority = Set.copyOf(minority);
        cut = true;
    }

    /** The network is whole again (Ignite does not notice: each side stays a cluster of its own). */
    void heal() {
        cut = false;
    }

    /** The node's configuration from {@link LocalNode}, with the cutting SPIs on fixed ports. */
    IgniteConfiguration config(String name, HubConfiguration... hubs) {
        int i = nodes.indexOf(name);
        int base = TestCluster.PORT_BASE;
        IgniteConfiguration cfg = LocalNode.config(name, base, hubs);
        TcpDiscoverySpi disco = new CutDiscovery(name);
        disco.setIpFinder(new TcpDiscoveryVmIpFinder().setAddresses(List.of("127.0.0.1:" + base + ".." + (base + nodes.size() - 1))))
            .setLocalPort(base + i).setLocalPortRange(1);
        TcpCommunicationSpi comm = new CutCommunication(name);
        comm.setLocalPort(base + LocalNode.MAX_NODES + i).setLocalPortRange(1);
        return cfg.setDiscoverySpi(disco).setCommunicationSpi(comm);
    }

    /** Whether a write from a node of side {@code fromMinority} to this port crosses the cut. */
    private boolean crosses(boolean fromMinority, int port) {
        if (!cut)
            return false;
        int base = TestCluster.PORT_BASE;
        int i = port - base;
        if (i >= LocalNode.MAX_NODES)
            i -= LocalNode.MAX_NODES;
        if (port < base || i < 0 || i >= nodes.size())
            return false; // an incoming socket (ephemeral port): answers only what came through
        return minority.contains(nodes.get(i)) != fromMinority;
    }

    private boolean crosses(boolean fromMinority, ClusterNode node) {
        return cut && minority.contains(String.valueOf(node.consistentId())) != fromMinority;
    }

    private final class CutDiscovery extends TcpDiscoverySpi {
        private final String name;

        CutDiscovery(String name) {
            this.name = name;
        }

        private boolean inMinority() {
            return minority.contains(name);
        }

        private void check(Socket sock) throws SocketTimeoutException {
            if (crosses(inMinority(), sock.getPort()))
                throw new SocketTimeoutException("network cut");
        }

        @Override
        protected Socket openSocket(Socket sock, InetSocketAddress remAddr, IgniteSpiOperationTimeoutHelper timeoutHelper)
            throws IOException, IgniteSpiOperationTimeoutException {
            if (crosses(inMinority(), remAddr.getPort()))
                throw new SocketTimeoutException("network cut");
            return super.openSocket(sock, remAddr, timeoutHelper);
        }

        @Override
        protected void writeToSocket(Socket sock, TcpDiscoveryAbstractMessage msg, byte[] data, long timeout) throws IOException {
            check(sock);
            super.writeToSocket(sock, msg, data, timeout);
        }

        @Override
        protected void writeToSocket(Socket sock, TcpDiscoveryAbstractMessage msg, long timeout)
            throws IOException, IgniteCheckedException {
            check(sock);
            super.writeToSocket(sock, msg, timeout);
        }

        @Override
        protected void writeToSocket(ClusterNode node, Socket sock, OutputStream out, TcpDiscoveryAbstractMessage msg, long timeout)
            throws IOException, IgniteCheckedException {
            check(sock);
            super.writeToSocket(node, sock, out, msg, timeout);
        }

        @Override
        protected void writeToSocket(Socket sock, OutputStream out, TcpDiscoveryAbstractMessage msg, long timeout)
            throws IOException, IgniteCheckedException {
            check(sock);
            super.writeToSocket(sock, out, msg, timeout);
        }

        @Override
        protected void writeToSocket(TcpDiscoveryAbstractMessage msg, Socket sock, int res, long timeout) throws IOException {
            check(sock);
            super.writeToSocket(msg, sock, res, timeout);
        }
    }

    private final class CutCommunication extends TcpCommunicationSpi {
        private final String name;

        CutCommunication(String name) {
            this.name = name;
        }

        @Override
        public void sendMessage(ClusterNode node, Message msg, IgniteInClosure<IgniteException> ackC) throws IgniteSpiException {
            if (crosses(minority.contains(name), node))
                throw new IgniteSpiException("network cut");
            super.sendMessage(node, msg, ackC);
        }

        @Override
        public void sendMessage(ClusterNode node, Message msg) throws IgniteSpiException {
            sendMessage(node, msg, null);
        }
    }
}
