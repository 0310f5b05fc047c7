package io.processhub;

import java.util.Set;
import org.apache.ignite.plugin.IgnitePlugin;

/** The plugin's entry point on a node: {@code ignite.plugin(ProcessHubPlugin.NAME)}. */
public interface ProcessHubPlugin extends IgnitePlugin {
    /** The plugin name Ignite knows it by. */
    String NAME = "processhub";

    /**
     * The hub with this id. Works on any node of the cluster that has the plugin, also on nodes that do not
     * run the hub: their requests go to hub members and their reads use their own copy of the registry.
     *
     * @throws UnknownHubException if no node of the cluster runs the hub.
     */
    ProcessHub hub(String hubId);

    /** Ids of the hubs this node runs. */
    Set<String> localHubIds();
}
