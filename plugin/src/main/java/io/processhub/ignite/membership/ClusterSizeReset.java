package io.processhub.ignite.membership;

import io.processhub.ignite.HubRuntime;
import io.processhub.ignite.ProcessHubPluginImpl;

import io.processhub.ProcessHubPlugin;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteException;
import org.apache.ignite.lang.IgniteRunnable;
import org.apache.ignite.resources.IgniteInstanceResource;

/**
 * The job {@code ProcessHub.resetClusterSize} broadcasts to the hub's members: each resets its own quorum's
 * cluster size. It waits until its hub loop applied the reset, so the broadcast completes when every member has.
 */
public final class ClusterSizeReset implements IgniteRunnable {
    private static final long serialVersionUID = 1L;
    private static final long APPLY_TIMEOUT_SECONDS = 30;

    private final String hubId;
    private final int size;

    @IgniteInstanceResource
    private transient Ignite ignite;

    public ClusterSizeReset(String hubId, int size) {
        this.hubId = hubId;
        this.size = size;
    }

    @Override
    public void run() {
        ProcessHubPluginImpl plugin = (ProcessHubPluginImpl)ignite.<ProcessHubPlugin>plugin(ProcessHubPlugin.NAME);
        HubRuntime runtime = plugin.runtime(hubId);
        if (runtime == null || !runtime.isMember())
            throw new IllegalStateException("hub " + hubId + " is not running on " + ignite.cluster().localNode().consistentId()
                + " (starting or stopping): the cluster size was not reset there");
        try {
            runtime.resetClusterSize(size).get(APPLY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException ? (RuntimeException)e.getCause() : new IgniteException(e.getCause());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IgniteException("interrupted while resetting the cluster size of hub " + hubId, e);
        }
        catch (TimeoutException e) {
            throw new IgniteException("hub " + hubId + " did not apply the new cluster size within " + APPLY_TIMEOUT_SECONDS + " s", e);
        }
    }
}
