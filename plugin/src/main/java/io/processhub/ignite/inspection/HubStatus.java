package io.processhub.ignite.inspection;

import io.processhub.ignite.HubContext;
import io.processhub.ignite.supervision.LocalChild;
import io.processhub.ignite.supervision.Supervisor;

import java.util.List;

/**
 * Live, lock-free reads of one hub's state on one node, for metrics and system views. Called on whatever thread
 * an exporter uses (JMX, SQL, control.sh jobs): only volatile fields and weakly consistent iteration of
 * concurrent maps, never the hub loop.
 */
public final class HubStatus {
    private final HubContext hub;
    /** Null on a node that does not run the hub. */
    private final Supervisor supervisor;
    private final String strategies;

    public HubStatus(HubContext hub, Supervisor supervisor) {
        this.hub = hub;
        this.supervisor = supervisor;
        // A node that only uses the hub does not know its configuration: it shows none.
        this.strategies = supervisor == null ? "" : StrategySettings.describe(hub.config);
    }

    public String hubId() {
        return hub.hubId;
    }

    public String localNode() {
        return hub.localName;
    }

    public boolean isMember() {
        return supervisor != null;
    }

    public int memberCount() {
        return hub.membership().size();
    }

    public String members() {
        return String.join(",", hub.membership().memberNames());
    }

    public long topologyVersion() {
        return hub.membership().topologyVersion();
    }

    public boolean isPartitioned() {
        return hub.isPartitioned();
    }

    public boolean isLocked() {
        return hub.view.isLocked();
    }

    /** Whether this node is being drained ({@code ProcessHub.drain}): it takes no placements. */
    public boolean isDraining() {
        return hub.membership().isDraining(hub.localNodeId);
    }

    /** The members being drained, comma-separated; empty if none. */
    public String drainingNodes() {
        return String.join(",", hub.membership().drainingNames());
    }

    /** Children running here, as {@code ProcessHub.localChildren()} counts them. */
    public int localChildren() {
        if (supervisor == null)
            return 0;
        int n = 0;
        for (LocalChild c : supervisor.localChildren())
            if (c.isRunning())
                n++;
        return n;
    }

    /** Children with a spec in this node's registry copy, as {@code ProcessHub.children()} lists them. */
    public int registeredChildren() {
        return hub.index.specCount();
    }

    public int loopBacklog() {
        return hub.loop.backlog();
    }

    public int loopBacklogMax() {
        return hub.loop.backlogMax();
    }

    public int hookBacklog() {
        return hub.hooks.backlog();
    }

    public long hookEventsDropped() {
        return hub.hooks.dropped();
    }

    public String strategies() {
        return strategies;
    }

    /** This node's child cells, in any state; empty where the hub does not run. */
    public Iterable<LocalChild> cells() {
        return supervisor == null ? List.of() : supervisor.localChildren();
    }
}
