package io.processhub;

import org.apache.ignite.Ignite;

/** Static shortcuts. */
public final class ProcessHubs {
    private ProcessHubs() {
    }

    /** {@code ignite.plugin("processhub").hub(hubId)}. */
    public static ProcessHub hub(Ignite ignite, String hubId) {
        ProcessHubPlugin plugin = ignite.plugin(ProcessHubPlugin.NAME);
        return plugin.hub(hubId);
    }
}
