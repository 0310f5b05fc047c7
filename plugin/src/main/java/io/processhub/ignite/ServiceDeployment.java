package io.processhub.ignite;

import io.processhub.client.ProcessHubService;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.lang.IgnitePredicate;
import org.apache.ignite.services.ServiceConfiguration;

/**
 * Makes every server node with the plugin host the thin-client service {@link ProcessHubService#NAME}.
 *
 * <p>The service is a <em>static</em> service configuration added to the node's own configuration, not a
 * {@code deployNodeSingleton} call: Ignite then registers it from the joining node's discovery data (an identical
 * configuration from the next node is ignored, so it is idempotent), places an instance on every node its filter
 * accepts at every topology change (nodes that join later included), and no start-up thread waits for a
 * cluster-wide deployment.
 */
public final class ServiceDeployment {
    /** Node attribute that marks a node with the ProcessHub plugin (value: the plugin version). */
    public static final String PLUGIN_ATTRIBUTE = "processhub.plugin";

    private ServiceDeployment() {
    }

    /** Adds the service's configuration to {@code cfg} unless it is there already (the same configuration started twice). */
    public static void addTo(IgniteConfiguration cfg) {
        List<ServiceConfiguration> services = new ArrayList<>();
        if (cfg.getServiceConfiguration() != null)
            services.addAll(Arrays.asList(cfg.getServiceConfiguration()));
        for (ServiceConfiguration s : services)
            if (ProcessHubService.NAME.equals(s.getName()))
                return;
        services.add(new ServiceConfiguration()
            .setName(ProcessHubService.NAME)
            .setService(new ProcessHubServiceImpl())
            .setMaxPerNodeCount(1)
            .setTotalCount(0)
            .setNodeFilter(new PluginNodes()));
        cfg.setServiceConfiguration(services.toArray(new ServiceConfiguration[0]));
    }

    /** Server nodes that carry the plugin; must be on every node's classpath (it travels in the service's configuration). */
    static final class PluginNodes implements IgnitePredicate<ClusterNode> {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean apply(ClusterNode node) {
            return !node.isClient() && node.attribute(PLUGIN_ATTRIBUTE) != null;
        }
    }
}
