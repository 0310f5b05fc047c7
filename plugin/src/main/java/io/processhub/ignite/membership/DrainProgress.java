package io.processhub.ignite.membership;

import io.processhub.ignite.HubRuntime;
import io.processhub.ignite.ProcessHubPluginImpl;

import io.processhub.ProcessHubPlugin;
import org.apache.ignite.Ignite;
import org.apache.ignite.lang.IgniteCallable;
import org.apache.ignite.resources.IgniteInstanceResource;

/**
 * The job a drain's caller sends to the draining node until it is empty: answers how many of the hub's children
 * the node still has (starting, running, moving out or stopping), or -1 while it has not applied its drain yet.
 */
public final class DrainProgress implements IgniteCallable<Integer> {
    private static final long serialVersionUID = 1L;

    private final String hubId;

    @IgniteInstanceResource
    private transient Ignite ignite;

    public DrainProgress(String hubId) {
        this.hubId = hubId;
    }

    @Override
    public Integer call() {
        HubRuntime runtime = ((ProcessHubPluginImpl)ignite.<ProcessHubPlugin>plugin(ProcessHubPlugin.NAME)).runtime(hubId);
        return runtime == null || !runtime.isMember() ? 0 : runtime.drainRemaining();
    }
}
