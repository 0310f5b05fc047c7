package io.processhub;

import io.processhub.strategy.ColdSwap;
import io.processhub.strategy.ConsistentHashing;
import io.processhub.strategy.DistributionStrategy;
import io.processhub.strategy.Divergence;
import io.processhub.strategy.MigrationStrategy;
import io.processhub.strategy.PartitionToleranceStrategy;
import io.processhub.strategy.PubSub;
import io.processhub.strategy.RedundancyStrategy;
import io.processhub.strategy.Singularity;
import io.processhub.strategy.SynchronizationStrategy;
import io.processhub.hook.HookRegistration;
import java.util.ArrayList;
import java.util.List;

/**
 * One hub: its id, its strategies, the supervisor's restart intensity and the children started with the
 * hub. A JavaBean, so it is written as a {@code <bean>} inside {@link ProcessHubPluginProvider} in Ignite's
 * Spring XML. Every node that runs the hub should carry the same configuration.
 */
public class HubConfiguration {
    private String hubId;
    private DistributionStrategy distributionStrategy = new ConsistentHashing();
    private RedundancyStrategy redundancyStrategy = new Singularity();
    private MigrationStrategy migrationStrategy = new ColdSwap();
    private SynchronizationStrategy synchronizationStrategy = new PubSub();
    private PartitionToleranceStrategy partitionToleranceStrategy = new Divergence();
    private int maxRestarts = 100;
    private long maxRestartsWindow = 4_000;
    private List<ChildSpec> staticChildren = new ArrayList<>();
    private List<HookRegistration> hooks = new ArrayList<>();
    private CheckpointConfiguration checkpoints = new CheckpointConfiguration();

    public HubConfiguration() {
    }

    public HubConfiguration(String hubId) {
        this.hubId = hubId;
    }

    public String getHubId() {
        return hubId;
    }

    public HubConfiguration setHubId(String hubId) {
        this.hubId = hubId;
        return this;
    }

    public DistributionStrategy getDistributionStrategy() {
        return distributionStrategy;
    }

    public HubConfiguration setDistributionStrategy(DistributionStrategy distributionStrategy) {
        this.distributionStrategy = distributionStrategy;
        return this;
    }

    public RedundancyStrategy getRedundancyStrategy() {
        return redundancyStrategy;
    }

    public HubConfiguration setRedundancyStrategy(RedundancyStrategy redundancyStrategy) {
        this.redundancyStrategy = redundancyStrategy;
        return this;
    }

    public MigrationStrategy getMigrationStrategy() {
        return migrationStrategy;
    }

    public HubConfiguration setMigrationStrategy(MigrationStrategy migrationStrategy) {
        this.migrationStrategy = migrationStrategy;
        return this;
    }

    public SynchronizationStrategy getSynchronizationStrategy() {
        return synchronizationStrategy;
    }

    public HubConfiguration setSynchronizationStrategy(SynchronizationStrategy synchronizationStrategy) {
        this.synchronizationStrategy = synchronizationStrategy;
        return this;
    }

    public PartitionToleranceStrategy getPartitionToleranceStrategy() {
        return partitionToleranceStrategy;
    }

    public HubConfiguration setPartitionToleranceStrategy(PartitionToleranceStrategy partitionToleranceStrategy) {
        this.partitionToleranceStrategy = partitionToleranceStrategy;
        return this;
    }

    /** Restarts allowed per child within {@link #getMaxRestartsWindow()} before it is given up (default 100). */
    public int getMaxRestarts() {
        return maxRestarts;
    }

    public HubConfiguration setMaxRestarts(int maxRestarts) {
        this.maxRestarts = maxRestarts;
        return this;
    }

    /** The restart intensity window in milliseconds (default 4000). */
    public long getMaxRestartsWindow() {
        return maxRestartsWindow;
    }

    public HubConfiguration setMaxRestartsWindow(long maxRestartsWindow) {
        this.maxRestartsWindow = maxRestartsWindow;
        return this;
    }

    /** Children started when the hub starts (an id that already runs is left alone). */
    public List<ChildSpec> getStaticChildren() {
        return staticChildren;
    }

    public HubConfiguration setStaticChildren(List<ChildSpec> staticChildren) {
        this.staticChildren = staticChildren == null ? new ArrayList<>() : new ArrayList<>(staticChildren);
        return this;
    }

    /** Hook handlers registered when the hub starts (more can be added at run time with {@code hub.hooks()}). */
    public List<HookRegistration> getHooks() {
        return hooks;
    }

    public HubConfiguration setHooks(List<HookRegistration> hooks) {
        this.hooks = hooks == null ? new ArrayList<>() : new ArrayList<>(hooks);
        return this;
    }

    /** Crash-safe state of the hub's stateful children (default: off). */
    public CheckpointConfiguration getCheckpoints() {
        return checkpoints;
    }

    public HubConfiguration setCheckpoints(CheckpointConfiguration checkpoints) {
        this.checkpoints = checkpoints;
        return this;
    }
}
