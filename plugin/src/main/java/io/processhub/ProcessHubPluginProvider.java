package io.processhub;

import io.processhub.ignite.service.ConfigurationCheck;
import io.processhub.ignite.ProcessHubPluginImpl;
import io.processhub.ignite.service.ServiceDeployment;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCheckedException;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.plugin.CachePluginContext;
import org.apache.ignite.plugin.CachePluginProvider;
import org.apache.ignite.plugin.ExtensionRegistry;
import org.apache.ignite.plugin.IgnitePlugin;
import org.apache.ignite.plugin.PluginConfiguration;
import org.apache.ignite.plugin.PluginContext;
import org.apache.ignite.plugin.PluginProvider;
import org.apache.ignite.plugin.PluginValidationException;

/**
 * Installs ProcessHub in an Ignite node. Configure it in {@code IgniteConfiguration.pluginProviders}, in
 * Java or Spring XML, with the {@link HubConfiguration hubs} this node runs (possibly none: the node can
 * still use hubs that run elsewhere).
 *
 * <pre>{@code
 * <property name="pluginProviders">
 *   <list>
 *     <bean class="io.processhub.ProcessHubPluginProvider">
 *       <property name="hubs">
 *         <list><bean class="io.processhub.HubConfiguration"><property name="hubId" value="orders"/></bean></list>
 *       </property>
 *     </bean>
 *   </list>
 * </property>
 * }</pre>
 *
 * A wrong setting stops the node at start with a message naming it.
 */
public class ProcessHubPluginProvider implements PluginProvider<PluginConfiguration> {
    private List<HubConfiguration> hubs = new ArrayList<>();
    private ProcessHubPluginImpl plugin;
    private Ignite ignite;

    public ProcessHubPluginProvider() {
    }

    public ProcessHubPluginProvider(HubConfiguration... hubs) {
        this.hubs = new ArrayList<>(List.of(hubs));
    }

    public List<HubConfiguration> getHubs() {
        return hubs;
    }

    public ProcessHubPluginProvider setHubs(List<HubConfiguration> hubs) {
        this.hubs = hubs == null ? null : new ArrayList<>(hubs);
        return this;
    }

    @Override
    public String name() {
        return ProcessHubPlugin.NAME;
    }

    @Override
    public String version() {
        return "0.1.0";
    }

    @Override
    public String copyright() {
        return "ProcessHub for Apache Ignite";
    }

    @SuppressWarnings("unchecked")
    @Override
    public <T extends IgnitePlugin> T plugin() {
        return (T)plugin;
    }

    @Override
    public void initExtensions(PluginContext ctx, ExtensionRegistry registry) throws IgniteCheckedException {
        try {
            ConfigurationCheck.check(hubs);
        }
        catch (InvalidConfigurationException e) {
            throw new IgniteCheckedException("Invalid ProcessHub configuration: " + e.getMessage(), e);
        }
        // Mark this node as a member of its hubs; attributes are read after plugins are initialised.
        IgniteConfiguration cfg = ctx.igniteConfiguration();
        Map<String, Object> attrs = new HashMap<>();
        if (cfg.getUserAttributes() != null)
            attrs.putAll(cfg.getUserAttributes());
        attrs.putAll(ProcessHubPluginImpl.memberAttributes(hubs));
        cfg.setUserAttributes(attrs);
        // Thin clients reach the hubs through a service every node with the plugin hosts.
        ServiceDeployment.addTo(cfg);
        plugin = new ProcessHubPluginImpl(hubs);
        ignite = ctx.grid();
    }

    @Override
    public <T> T createComponent(PluginContext ctx, Class<T> cls) {
        return null;
    }

    @Override
    public CachePluginProvider createCacheProvider(CachePluginContext ctx) {
        return null;
    }

    @Override
    public void start(PluginContext ctx) {
    }

    @Override
    public void stop(boolean cancel) {
    }

    @Override
    public void onIgniteStart() throws IgniteCheckedException {
        // Runs on the thread that started the node, after it joined: cluster APIs are safe here.
        plugin.start(ignite);
    }

    @Override
    public void onIgniteStop(boolean cancel) {
        if (plugin != null)
            plugin.stop();
    }

    @Override
    public Serializable provideDiscoveryData(UUID nodeId) {
        return null;
    }

    @Override
    public void receiveDiscoveryData(UUID nodeId, Serializable data) {
    }

    @Override
    public void validateNewNode(ClusterNode node) throws PluginValidationException {
    }
}
