package io.processhub;

import org.apache.ignite.configuration.IgniteConfiguration;

/**
 * Rejoining after a network split (opt-in, off by default). Ignite never merges the two clusters a cut network
 * leaves behind: a node whose hub lost quorum would stay a small cluster of its own after the network healed. With
 * rejoin enabled, such a node pings the discovery addresses of its former members every {@link
 * #getProbeIntervalMillis() probe interval}; once one answers, and the rule below says this side is the one to
 * move, it stops its Ignite node and starts it again in-process from a fresh configuration, so that it joins the
 * other side's cluster. Its children are then placed as on any join.
 *
 * <p>The rule: a node restarts only while one of its hubs lacks quorum (a side with quorum never restarts), and
 * only if its side is the smaller part of the servers it knew (its side against the former members it no longer
 * sees); on equal parts the side that holds the smallest consistent id stays. So exactly one side of a split in two
 * moves, also when neither has quorum (an even split under {@code MajorityQuorum}). A restarting node joins only the
 * side that stays: a coordinator whose side lacks quorum and moves itself refuses it, and it tries again a probe
 * interval later; a node that came up in a cluster without any of the former members stops again and retries.
 *
 * <p>The restarted node is a new Ignite instance with the same instance name and consistent id (required) and a
 * new node id: {@code Ignite} and {@code ProcessHub} references taken from the old instance no longer work; take
 * them again with {@code Ignition.ignite(name)} and {@code ProcessHubs.hub(ignite, hubId)}. An {@code
 * IgniteConfiguration} cannot be started twice (its SPIs keep their state), so the node needs a way to make a
 * fresh one: a {@link #setConfigurationFactory factory} (Java) or the {@link #setSpringConfigPath Spring XML file}
 * it was started from.
 */
public class RejoinConfiguration {
    /** Makes a fresh configuration for this node: same instance name, consistent id, discovery and plugin settings. */
    @FunctionalInterface
    public interface ConfigurationFactory {
        IgniteConfiguration create();
    }

    private boolean enabled;
    private long probeIntervalMillis = 1_000;
    private long forgetFailedAfterMillis = 30_000;
    private ConfigurationFactory configurationFactory;
    private String springConfigPath;

    /** Whether this node rejoins the other side after a split heals (default false). */
    public boolean isEnabled() {
        return enabled;
    }

    public RejoinConfiguration setEnabled(boolean enabled) {
        this.enabled = enabled;
        return this;
    }

    /**
     * How often a side without quorum pings its former members, and how long one ping may take (default 1000 ms).
     * After the network heals the node restarts within about one interval plus its own restart time.
     */
    public long getProbeIntervalMillis() {
        return probeIntervalMillis;
    }

    public RejoinConfiguration setProbeIntervalMillis(long probeIntervalMillis) {
        this.probeIntervalMillis = probeIntervalMillis;
        return this;
    }

    /**
     * How long a failed server stays a former member while every hub of this node keeps quorum (default 30 000 ms).
     * A crashed node is then forgotten and no longer counts when sides are compared; a side that loses quorum keeps
     * the members it lost.
     */
    public long getForgetFailedAfterMillis() {
        return forgetFailedAfterMillis;
    }

    public RejoinConfiguration setForgetFailedAfterMillis(long forgetFailedAfterMillis) {
        this.forgetFailedAfterMillis = forgetFailedAfterMillis;
        return this;
    }

    /** Makes the configuration the node restarts with (Java); exclusive with {@link #getSpringConfigPath()}. */
    public ConfigurationFactory getConfigurationFactory() {
        return configurationFactory;
    }

    public RejoinConfiguration setConfigurationFactory(ConfigurationFactory configurationFactory) {
        this.configurationFactory = configurationFactory;
        return this;
    }

    /**
     * The Spring XML file (path or URL, as for {@code Ignition.start(String)}) the node restarts from: the file it
     * was started from. Needs {@code ignite-spring} on the class path.
     */
    public String getSpringConfigPath() {
        return springConfigPath;
    }

    public RejoinConfiguration setSpringConfigPath(String springConfigPath) {
        this.springConfigPath = springConfigPath;
        return this;
    }
}
