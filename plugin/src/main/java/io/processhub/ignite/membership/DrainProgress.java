package io.processhub.ignite.membership;

import io.processhub.ignite.HubRuntime;
import io.processhub.ignite.ProcessHubPluginImpl;

import io.processhub.ProcessHubPlugin;
import org.apache.ignite.Ignite;
import org.apache.ignite.lang.IgniteCallable;
import org.apache.ignite.resources.IgniteInstanceResource;

/**
 * The job a drain's caller sends to the draining node until it is empty: answers how many of the hub's children
 * the node still has (starting, running, moving out or stopping), {@link #NOT_APPLIED} while its hub has not applied
 * its drain yet, {@link #NOT_DRAINING} if it is not draining (any more). The node's own copy of the draining set is
 * the one to ask: a server applies a metastorage update before the write that made it completes, a client node (the
 * caller, maybe) only some time later.
 */
public final class DrainProgress implements IgniteCallable<Integer> {
    private static final long serialVersionUID = 1L;
    public static final int NOT_APPLIED = -1;
    public static final int NOT_DRAINING = -2;

    private final String hubId;

    @IgniteInstanceResource
    private transient Ignite ignite;

    public DrainProgress(String hubId) {
        this.hubId = hubId;
    }

    @Override
    public Integer call() {
        HubRuntime runtime = ((ProcessHubPluginImpl)ignite.<ProcessHubPlugin>plugin(ProcessHubPlugin.NAME)).runtime(hubId);
        return runtime == null || !runtime.isMember() ? NOT_DRAINING : runtime.drainRemaining();
    }
}
