package io.processhub.ignite.service;

import io.processhub.client.ProcessHubService;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.services.ServiceConfiguration;
import org.apache.ignite.util.AttributeNodeFilter;

/**
 * Makes every server node with the plugin host the thin-client service {@link ProcessHubService#NAME}.
 *
 * <p>The service is a <em>static</em> service configuration added to the node's own configuration, not a
 * {@code deployNodeSingleton} call: Ignite then registers it from the joining node's discovery data (an identical
 * configuration from the next node is ignored, so it is idempotent), places an instance on every node its filter
 * accepts at every topology change (nodes that join later included), and no start-up thread waits for a
 * cluster-wide deployment.
 *
 * <p>The node filter is Ignite's own {@link AttributeNodeFilter} on an attribute only server nodes with the plugin
 * carry: every node evaluates the filter of every service, so a filter class of ours would have to be on the
 * classpath of server nodes without the plugin too, and a service with a filter that accepts a (thick) client node
 * is deployed there as well.
 */
public final class ServiceDeployment {
    /** Node attribute that marks a server node with the ProcessHub plugin (value {@code "true"}). */
    public static final String PLUGIN_ATTRIBUTE = "processhub.plugin";

    private ServiceDeployment() {
    }

    /**
     * Marks a server node with {@link #PLUGIN_ATTRIBUTE} and adds the service's configuration to {@code cfg}, unless
     * it is there already (the same configuration object started twice). Called while the plugin is initialised,
     * before Ignite reads attributes and static services.
     */
    public static void addTo(IgniteConfiguration cfg) {
        if (!Boolean.TRUE.equals(cfg.isClientMode())) {
            Map<String, Object> attrs = cfg.getUserAttributes() == null ? new HashMap<>() : new HashMap<>(cfg.getUserAttributes());
            attrs.put(PLUGIN_ATTRIBUTE, "true");
            cfg.setUserAttributes(attrs);
        }
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
            .setNodeFilter(new AttributeNodeFilter(PLUGIN_ATTRIBUTE, "true")));
        cfg.setServiceConfiguration(services.toArray(new ServiceConfiguration[0]));
    }
}
