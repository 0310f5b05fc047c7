package io.processhub.ignite.service;

import io.processhub.InvalidConfigurationException;
import io.processhub.RejoinConfiguration;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.spi.discovery.tcp.TcpDiscoverySpi;

/** Checks {@code ProcessHubPluginProvider.rejoin} when the node starts; a wrong setting stops the node with its name. */
public final class RejoinCheck {
    private RejoinCheck() {
    }

    public static void check(RejoinConfiguration rejoin, IgniteConfiguration node) {
        if (rejoin == null)
            throw new InvalidConfigurationException("ProcessHubPluginProvider.rejoin must not be null (leave it unset to keep rejoin off)");
        if (!rejoin.isEnabled())
            return;
        if (rejoin.getProbeIntervalMillis() <= 0)
            throw new InvalidConfigurationException("rejoin.probeIntervalMillis must be positive, was " + rejoin.getProbeIntervalMillis());
        if (rejoin.getForgetFailedAfterMillis() <= 0)
            throw new InvalidConfigurationException("rejoin.forgetFailedAfterMillis must be positive, was "
                + rejoin.getForgetFailedAfterMillis());
        boolean factory = rejoin.getConfigurationFactory() != null;
        boolean xml = rejoin.getSpringConfigPath() != null && !rejoin.getSpringConfigPath().isBlank();
        if (factory == xml)
            throw new InvalidConfigurationException("rejoin needs exactly one of configurationFactory and springConfigPath "
                + "(the node restarts from a fresh configuration), " + (factory ? "both were set" : "neither was set"));
        if (node.getConsistentId() == null)
            throw new InvalidConfigurationException("rejoin needs IgniteConfiguration.consistentId to be set: the restarted node "
                + "must keep its place (children, ring) under the same consistent id");
        if (!(node.getDiscoverySpi() instanceof TcpDiscoverySpi))
            throw new InvalidConfigurationException("rejoin needs TcpDiscoverySpi (it pings former members through it), "
                + "the discovery SPI is " + (node.getDiscoverySpi() == null ? "not set" : node.getDiscoverySpi().getClass().getName()));
    }
}
