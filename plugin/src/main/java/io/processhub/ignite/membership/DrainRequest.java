package io.processhub.ignite.membership;

import io.processhub.ignite.HubRuntime;
import io.processhub.ignite.ProcessHubPluginImpl;

import io.processhub.ProcessHubPlugin;
import java.util.UUID;
import org.apache.ignite.Ignite;
import org.apache.ignite.lang.IgniteCallable;
import org.apache.ignite.resources.IgniteInstanceResource;

/**
 * The job {@code ProcessHub.drain} and {@code undrain} run on a member of the hub (the only nodes that know its
 * distribution): it checks the request and writes it cluster-wide ({@link Drains#request}), and answers the id of the
 * node instance named. Runs on a compute thread, which may wait for the write.
 */
public final class DrainRequest implements IgniteCallable<UUID> {
    private static final long serialVersionUID = 1L;

    private final String hubId;
    private final String node;
    private final boolean drain;

    @IgniteInstanceResource
    private transient Ignite ignite;

    public DrainRequest(String hubId, String node, boolean drain) {
        this.hubId = hubId;
        this.node = node;
        this.drain = drain;
    }

    @Override
    public UUID call() {
        HubRuntime runtime = ((ProcessHubPluginImpl)ignite.<ProcessHubPlugin>plugin(ProcessHubPlugin.NAME)).runtime(hubId);
        if (runtime == null || !runtime.isMember())
            throw new IllegalStateException("hub " + hubId + " is not running on " + ignite.cluster().localNode().consistentId()
                + " (starting or stopping): ask again");
        return runtime.drains().request(node, drain);
    }
}
