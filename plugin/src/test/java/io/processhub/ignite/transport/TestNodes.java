package io.processhub.ignite.transport;

import io.processhub.HubConfiguration;
import io.processhub.ProcessHubPluginProvider;
import java.io.File;
import java.util.List;
import org.apache.ignite.configuration.DataRegionConfiguration;
import org.apache.ignite.configuration.DataStorageConfiguration;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.configuration.SystemDataRegionConfiguration;
import org.apache.ignite.failure.StopNodeFailureHandler;
import org.apache.ignite.spi.communication.tcp.TcpCommunicationSpi;
import org.apache.ignite.spi.discovery.tcp.TcpDiscoverySpi;
import org.apache.ignite.spi.discovery.tcp.ipfinder.vm.TcpDiscoveryVmIpFinder;

/**
 * Small loopback server nodes for the plugin's own multi-node tests (this module cannot use the examples'
 * LocalNode). Same port layout as LocalNode, on a port base of this JVM's own chosen by its pid.
 */
final class TestNodes {
    static final int PORT_BASE = 20_000 + (int)(ProcessHandle.current().pid() % 1000) * 30;
    private static final int MAX_NODES = 10;

    private TestNodes() {
    }

    /** A node running {@code hubs}; with no hubs, a node without the plugin at all. */
    static IgniteConfiguration config(String name, HubConfiguration... hubs) {
        TcpDiscoveryVmIpFinder ipFinder = new TcpDiscoveryVmIpFinder()
            .setAddresses(List.of("127.0.0.1:" + PORT_BASE + ".." + (PORT_BASE + MAX_NODES - 1)));
        IgniteConfiguration cfg = new IgniteConfiguration()
            .setIgniteInstanceName(name)
            .setConsistentId(name)
            .setLocalHost("127.0.0.1")
            .setDiscoverySpi(new TcpDiscoverySpi().setIpFinder(ipFinder).setLocalPort(PORT_BASE).setLocalPortRange(MAX_NODES))
            .setCommunicationSpi(new TcpCommunicationSpi().setLocalPort(PORT_BASE + MAX_NODES).setLocalPortRange(MAX_NODES))
            .setClientConnectorConfiguration(null)
            .setFailureDetectionTimeout(3_000)
            .setClientFailureDetectionTimeout(3_000)
            .setMetricsLogFrequency(0)
            .setFailureHandler(new StopNodeFailureHandler())
            .setWorkDirectory(new File(System.getProperty("java.io.tmpdir"), "processhub-work/" + PORT_BASE + "/" + name).getAbsolutePath())
            .setPublicThreadPoolSize(4).setSystemThreadPoolSize(4).setStripedPoolSize(4)
            .setServiceThreadPoolSize(2).setQueryThreadPoolSize(2).setDataStreamerThreadPoolSize(1)
            .setManagementThreadPoolSize(1).setPeerClassLoadingThreadPoolSize(1).setAsyncCallbackPoolSize(2)
            .setRebalanceThreadPoolSize(1).setUtilityCachePoolSize(2)
            .setDataStorageConfiguration(new DataStorageConfiguration()
                .setSystemDataRegionConfiguration(new SystemDataRegionConfiguration().setInitialSize(10L << 20).setMaxSize(20L << 20))
                .setDefaultDataRegionConfiguration(new DataRegionConfiguration().setName("default")
                    .setInitialSize(32L << 20).setMaxSize(128L << 20).setPersistenceEnabled(false)));
        if (hubs.length > 0)
            cfg.setPluginProviders(new ProcessHubPluginProvider(hubs));
        return cfg;
    }
}
