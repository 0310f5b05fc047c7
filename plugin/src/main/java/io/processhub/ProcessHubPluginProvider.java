package io.processhub;

import io.processhub.ignite.membership.NodeRestart;
import io.processhub.ignite.membership.RejoinRequest;
import io.processhub.ignite.service.ConfigurationCheck;
import io.processhub.ignite.ProcessHubPluginImpl;
import io.processhub.ignite.service.RejoinCheck;
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
 *
 * <p>{@link #setRejoin rejoin} (off by default) lets a node whose side of a network split lost quorum rejoin the
 * other side once the network heals: see {@link RejoinConfiguration}.
 */
public class ProcessHubPluginProvider implements PluginProvider<PluginConfiguration> {
    private List<HubConfiguration> hubs = new ArrayList<>();
    private RejoinConfiguration rejoin = new RejoinConfiguration();
    private ProcessHubPluginImpl plugin;
    private Ignite ignite;
    private String instanceName;

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

    /** Rejoining the other side after a network split heals (off by default). */
    public RejoinConfiguration getRejoin() {
        return rejoin;
    }

    public ProcessHubPluginProvider setRejoin(RejoinConfiguration rejoin) {
        this.rejoin = rejoin;
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
            RejoinCheck.check(rejoin, ctx.igniteConfiguration());
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
        plugin = new ProcessHubPluginImpl(hubs, rejoin);
        ignite = ctx.grid();
        instanceName = cfg.getIgniteInstanceName();
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

    /** Called on the joining node (and on others for it): a node that restarts to rejoin says so. */
    @Override
    public Serializable provideDiscoveryData(UUID nodeId) {
        return NodeRestart.isRejoining(instanceName) ? new RejoinRequest() : null;
    }

    @Override
    public void receiveDiscoveryData(UUID nodeId, Serializable data) {
    }

    @Override
    public void validateNewNode(ClusterNode node) throws PluginValidationException {
    }

    /**
     * On the coordinator, on the discovery thread: refuses a rejoining node while this side lacks quorum and is
     * itself the side to move (it would join the wrong side, soon to dissolve).
     */
    @Override
    public void validateNewNode(ClusterNode node, Serializable data) {
        if (data instanceof RejoinRequest && plugin != null && plugin.rejoinsOtherSide())
            throw new PluginValidationException("Node " + node.consistentId() + " rejoins after a split, but this side lacks quorum "
                + "and rejoins the other side itself", "this side of the cluster lacks quorum and is about to rejoin the other side: "
                + "a rejoining node joins the side that stays", node.id());
    }
}
