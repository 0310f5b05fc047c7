package io.processhub.tests;

import io.processhub.HubConfiguration;
import io.processhub.examples.LocalNode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
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
 *
 * <p>Nodes in several JVMs share a cut through a file ({@link #shared}): one line naming the nodes cut off, empty
 * while the network is whole; every JVM reads it again at most every {@link #FILE_REREAD_NANOS}.
 */
public final class NetworkCut {
    private static final long FILE_REREAD_NANOS = 100_000_000L;

    private final List<String> nodes;
    private final int portBase;
    private final Path file;
    private volatile Set<String> minority;
    private volatile boolean cut;
    private volatile long fileReadAt;

    NetworkCut(List<String> nodes, Set<String> minority) {
        this(nodes, TestCluster.PORT_BASE, null);
        this.minority = minority;
    }

    private NetworkCut(List<String> nodes, int portBase, Path file) {
        this.nodes = List.copyOf(nodes);
        this.portBase = portBase;
        this.file = file;
        this.minority = Set.of();
    }

    /** A cut that {@code file} holds (see {@link #write}), shared by the JVMs that read it. */
    public static NetworkCut shared(List<String> nodes, int portBase, Path file) {
        return new NetworkCut(nodes, portBase, file);
    }

    /** Writes the cut a {@link #shared} cut reads: {@code minority} cut off from the other nodes, none if empty. */
    public static void write(Path file, Set<String> minority) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, String.join(",", new java.util.TreeSet<>(minority)));
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** The nodes cut off now (empty: the network is whole). */
    private Set<String> cutOff() {
        if (file == null)
            return cut ? minority : Set.of();
        long now = System.nanoTime();
        if (now - fileReadAt > FILE_REREAD_NANOS) {
            try {
                String line = Files.readString(file).trim();
                minority = line.isEmpty() ? Set.of() : Arrays.stream(line.split(",")).collect(Collectors.toUnmodifiableSet());
            }
            catch (NoSuchFileException e) {
                minority = Set.of();
            }
            catch (IOException e) {
                // Keep the last cut read: the file is being replaced.
            }
            fileReadAt = now;
        }
        return minority;
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
    public IgniteConfiguration config(String name, HubConfiguration... hubs) {
        int i = nodes.indexOf(name);
        if (i < 0)
            throw new IllegalArgumentException(name + " is not one of " + nodes);
        int base = portBase;
        IgniteConfiguration cfg = LocalNode.config(name, base, hubs);
        TcpDiscoverySpi disco = new CutDiscovery(name);
        disco.setIpFinder(new TcpDiscoveryVmIpFinder().setAddresses(List.of("127.0.0.1:" + base + ".." + (base + nodes.size() - 1))))
            .setLocalPort(base + i).setLocalPortRange(1);
        TcpCommunicationSpi comm = new CutCommunication(name);
        comm.setLocalPort(base + LocalNode.MAX_NODES + i).setLocalPortRange(1);
        return cfg.setDiscoverySpi(disco).setCommunicationSpi(comm);
    }

    /** Whether a write from a node of side {@code fromMinority} to this port crosses the cut. */
    private boolean crosses(String from, int port) {
        Set<String> off = cutOff();
        if (off.isEmpty())
            return false;
        int base = portBase;
        int i = port - base;
        if (i >= LocalNode.MAX_NODES)
            i -= LocalNode.MAX_NODES;
        if (port < base || i < 0 || i >= nodes.size())
            return false; // an incoming socket (ephemeral port): answers only what came through
        return off.contains(nodes.get(i)) != off.contains(from);
    }

    private boolean crosses(String from, ClusterNode node) {
        Set<String> off = cutOff();
        return !off.isEmpty() && off.contains(String.valueOf(node.consistentId())) != off.contains(from);
    }

    private final class CutDiscovery extends TcpDiscoverySpi {
        private final String name;

        CutDiscovery(String name) {
            this.name = name;
        }

        private void check(Socket sock) throws SocketTimeoutException {
            if (crosses(name, sock.getPort()))
                throw new SocketTimeoutException("network cut");
        }

        @Override
        protected Socket openSocket(Socket sock, InetSocketAddress remAddr, IgniteSpiOperationTimeoutHelper timeoutHelper)
            throws IOException, IgniteSpiOperationTimeoutException {
            if (crosses(name, remAddr.getPort()))
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
            if (crosses(name, node))
                throw new IgniteSpiException("network cut");
            super.sendMessage(node, msg, ackC);
        }

        @Override
        public void sendMessage(ClusterNode node, Message msg) throws IgniteSpiException {
            sendMessage(node, msg, null);
        }
    }
}
