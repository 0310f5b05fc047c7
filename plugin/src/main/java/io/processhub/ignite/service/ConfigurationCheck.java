package io.processhub.ignite.service;

import io.processhub.CheckpointConfiguration;
import io.processhub.ChildMapping;
import io.processhub.ChildSpec;
import io.processhub.HubConfiguration;
import io.processhub.InvalidConfigurationException;
import io.processhub.hook.HookRegistration;
import io.processhub.strategy.InvalidStrategyException;
import io.processhub.strategy.Strategy;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Checks the plugin configuration when the node starts; a wrong setting stops the node with its name. */
public final class ConfigurationCheck {
    private ConfigurationCheck() {
    }

    public static void check(List<HubConfiguration> hubs) {
        if (hubs == null)
            throw new InvalidConfigurationException("ProcessHubPluginProvider.hubs must not be null");
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < hubs.size(); i++) {
            HubConfiguration hub = hubs.get(i);
            String where = "hubs[" + i + "]";
            if (hub == null)
                throw new InvalidConfigurationException(where + " is null");
            String id = hub.getHubId();
            if (id == null || id.isBlank())
                throw new InvalidConfigurationException(where + ".hubId must not be null or blank");
            if (!id.matches("[A-Za-z0-9_.-]+"))
                throw new InvalidConfigurationException(where + ".hubId '" + id
                    + "' may only hold letters, digits, '_', '.' and '-' (it names a cache and a node attribute)");
            if (!ids.add(id))
                throw new InvalidConfigurationException(where + ".hubId '" + id + "' is configured twice on this node");
            where = "hub '" + id + "'";
            strategy(where, "distributionStrategy", hub.getDistributionStrategy());
            strategy(where, "redundancyStrategy", hub.getRedundancyStrategy());
            strategy(where, "migrationStrategy", hub.getMigrationStrategy());
            strategy(where, "synchronizationStrategy", hub.getSynchronizationStrategy());
            strategy(where, "partitionToleranceStrategy", hub.getPartitionToleranceStrategy());
            if (hub.getMaxRestarts() < 0)
                throw new InvalidConfigurationException(where + ".maxRestarts must not be negative, was " + hub.getMaxRestarts());
            if (hub.getMaxRestartsWindow() <= 0)
                throw new InvalidConfigurationException(where + ".maxRestartsWindow must be positive, was " + hub.getMaxRestartsWindow());
            staticChildren(where, hub.getStaticChildren(), hub.getDistributionStrategy().usesChildMapping());
            hooks(where, hub.getHooks());
            checkpoints(where, hub.getCheckpoints());
        }
    }

    private static void strategy(String where, String property, Strategy s) {
        if (s == null)
            throw new InvalidConfigurationException(where + "." + property + " must not be null");
        try {
            s.validate();
        }
        catch (InvalidStrategyException e) {
            throw new InvalidConfigurationException(where + "." + property + "." + e.getMessage());
        }
    }

    private static void checkpoints(String where, CheckpointConfiguration cp) {
        if (cp == null)
            throw new InvalidConfigurationException(where + ".checkpoints must not be null (leave it unset for none)");
        if (cp.getBackups() < 1)
            throw new InvalidConfigurationException(where + ".checkpoints.backups must be at least 1 (with none a crash loses "
                + "the checkpoints of the crashed node's children with it), was " + cp.getBackups());
        if (cp.getInterval() < 0)
            throw new InvalidConfigurationException(where + ".checkpoints.interval must not be negative (0: on demand only), was "
                + cp.getInterval());
    }

    private static void hooks(String where, List<HookRegistration> hooks) {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < hooks.size(); i++) {
            HookRegistration r = hooks.get(i);
            String at = where + ".hooks[" + i + "]";
            if (r == null)
                throw new InvalidConfigurationException(at + " is null");
            if (r.getHook() == null)
                throw new InvalidConfigurationException(at + ".hook must be set (one of " + java.util.Arrays.toString(io.processhub.hook.Hook.values()) + ")");
            if (r.getId() == null || r.getId().isBlank())
                throw new InvalidConfigurationException(at + ".id must not be null or blank");
            if (r.getHandler() == null)
                throw new InvalidConfigurationException(at + ".handler must be set");
            if (!ids.add(r.getHook() + "/" + r.getId()))
                throw new InvalidConfigurationException(at + ".id '" + r.getId() + "' is used twice for hook " + r.getHook());
        }
    }

    /** @param guided whether the hub distributes by a child mapping: then each static child names its node(s). */
    private static void staticChildren(String where, List<ChildSpec> specs, boolean guided) {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < specs.size(); i++) {
            String problem = SpecCheck.problem(specs.get(i));
            if (problem == null && !ids.add(specs.get(i).id()))
                problem = "the id " + specs.get(i).id() + " appears twice";
            if (problem == null && guided && isNullOrEmpty(ChildMapping.nodesOf(specs.get(i))))
                problem = "the hub's distribution is guided: name the child's node(s) in its metadata, key "
                    + ChildMapping.METADATA_KEY + " (node names separated by commas)";
            if (problem != null)
                throw new InvalidConfigurationException(where + ".staticChildren[" + i + "]: " + problem);
        }
    }

    private static boolean isNullOrEmpty(List<String> nodes) {
        return nodes == null || nodes.isEmpty();
    }
}
