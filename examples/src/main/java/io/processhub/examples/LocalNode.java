package io.processhub.examples;

import io.processhub.HubConfiguration;
import io.processhub.ProcessHubPluginProvider;
import java.io.File;
import java.util.List;
import org.apache.ignite.configuration.ClientConnectorConfiguration;
import org.apache.ignite.configuration.DataRegionConfiguration;
import org.apache.ignite.configuration.DataStorageConfiguration;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.failure.StopNodeFailureHandler;
import org.apache.ignite.spi.communication.tcp.TcpCommunicationSpi;
import org.apache.ignite.spi.discovery.tcp.TcpDiscoverySpi;
import org.apache.ignite.spi.discovery.tcp.ipfinder.vm.TcpDiscoveryVmIpFinder;
import org.apache.ignite.configuration.SystemDataRegionConfiguration;

/**
 * Configuration of a small Ignite server node on the loopback interface, for the demo and the tests.
 * Every cluster gets a port base of its own (discovery at base..base+9, communication at base+10..base+19,
 * thin clients at base+20..base+29), so clusters of different processes never join each other.
 */
public final class LocalNode {
    /** Nodes a cluster on one port base can hold. */
    public static final int MAX_NODES = 10;

    private LocalNode() {
    }

    public static IgniteConfiguration config(String name, int portBase, HubConfiguration... hubs) {
        TcpDiscoveryVmIpFinder ipFinder = new TcpDiscoveryVmIpFinder()
            .setAddresses(List.of("127.0.0.1:" + portBase + ".." + (portBase + MAX_NODES - 1)));
        return new IgniteConfiguration()
            .setIgniteInstanceName(name)
            .setConsistentId(name)
            .setLocalHost("127.0.0.1")
            .setDiscoverySpi(new TcpDiscoverySpi().setIpFinder(ipFinder)
                .setLocalPort(portBase).setLocalPortRange(MAX_NODES))
            .setCommunicationSpi(new TcpCommunicationSpi()
                .setLocalPort(portBase + MAX_NODES).setLocalPortRange(MAX_NODES))
            .setClientConnectorConfiguration(new ClientConnectorConfiguration()
                .setPort(portBase + 2 * MAX_NODES).setPortRange(MAX_NODES))
            .setFailureDetectionTimeout(3_000)
            .setClientFailureDetectionTimeout(3_000)
            .setMetricsLogFrequency(0)
            .setFailureHandler(new StopNodeFailureHandler())
            .setWorkDirectory(new File(System.getProperty("java.io.tmpdir"), "processhub-work/" + portBase + "/" + name).getAbsolutePath())
            .setPublicThreadPoolSize(4).setSystemThreadPoolSize(4).setStripedPoolSize(4)
            .setServiceThreadPoolSize(2).setQueryThreadPoolSize(2).setDataStreamerThreadPoolSize(1)
            .setManagementThreadPoolSize(1).setPeerClassLoadingThreadPoolSize(1).setAsyncCallbackPoolSize(2)
            .setRebalanceThreadPoolSize(1).setUtilityCachePoolSize(2)
            .setDataStorageConfiguration(new DataStorageConfiguration()
                .setSystemDataRegionConfiguration(new SystemDataRegionConfiguration()
                    .setInitialSize(10L << 20).setMaxSize(20L << 20))
                .setDefaultDataRegionConfiguration(new DataRegionConfiguration().setName("default")
                    .setInitialSize(32L << 20).setMaxSize(256L << 20).setPersistenceEnabled(false)))
            .setPluginProviders(new ProcessHubPluginProvider(hubs));
    }
}
