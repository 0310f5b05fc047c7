package io.processhub.ignite.inspection;

import io.processhub.ignite.HubRuntime;

import java.util.Collection;
import java.util.Date;
import org.apache.ignite.Ignite;
import org.apache.ignite.internal.IgniteEx;
import org.apache.ignite.internal.managers.systemview.GridSystemViewManager;

/**
 * The plugin's two system views, registered once per node; their rows cover every hub of the node and are
 * computed from live local state when read (weakly consistent, never blocking):
 * <ul>
 * <li>{@code processhubChildren}: one row per child replica on this node;</li>
 * <li>{@code processhubHubs}: one row per hub this node runs or uses.</li>
 * </ul>
 * Ignite derives the SQL name from the registered one ({@code processhubChildren} is {@code SYS.PROCESSHUB_CHILDREN});
 * {@code control.sh --system-view} accepts either. Registering a custom view needs Ignite's internal
 * {@link GridSystemViewManager}: there is no public API for it in 2.17.
 */
public final class InspectionViews {
    public static final String CHILDREN_VIEW = "processhubChildren";
    public static final String HUBS_VIEW = "processhubHubs";

    private InspectionViews() {
    }

    /** Registers both views; {@code hubs} is the node's live collection of hub runtimes. */
    public static void register(Ignite ignite, Collection<HubRuntime> hubs) {
        GridSystemViewManager views = ((IgniteEx)ignite).context().systemView();
        views.registerView(HUBS_VIEW, "ProcessHub hubs on this node", hubColumns(), () -> hubs, HubRuntime::status);
        views.registerInnerCollectionView(CHILDREN_VIEW, "ProcessHub child replicas on this node", childColumns(), hubs,
            rt -> rt.status().cells(), (rt, cell) -> ChildRow.of(rt.status(), cell));
    }

    private static ViewColumns<HubStatus> hubColumns() {
        return new ViewColumns<HubStatus>()
            .add("hubId", String.class, HubStatus::hubId)
            .add("node", String.class, HubStatus::localNode)
            .add("member", Boolean.class, HubStatus::isMember)
            .add("memberCount", Integer.class, HubStatus::memberCount)
            .add("members", String.class, HubStatus::members)
            .add("topologyVersion", Long.class, HubStatus::topologyVersion)
            .add("localChildren", Integer.class, HubStatus::localChildren)
            .add("registeredChildren", Integer.class, HubStatus::registeredChildren)
            .add("partitioned", Boolean.class, HubStatus::isPartitioned)
            .add("locked", Boolean.class, HubStatus::isLocked)
            .add("draining", Boolean.class, HubStatus::isDraining)
            .add("drainingNodes", String.class, HubStatus::drainingNodes)
            .add("loopBacklog", Integer.class, HubStatus::loopBacklog)
            .add("strategies", String.class, HubStatus::strategies);
    }

    private static ViewColumns<ChildRow> childColumns() {
        return new ViewColumns<ChildRow>()
            .add("hubId", String.class, r -> r.hubId)
            .add("childId", String.class, r -> r.childId)
            .add("node", String.class, r -> r.node)
            .add("role", String.class, r -> r.role)
            .add("incarnation", Long.class, r -> r.incarnation)
            .add("restarts", Long.class, ChildRow::restarts)
            .add("state", String.class, r -> r.state)
            .add("className", String.class, r -> r.className)
            .add("restartPolicy", String.class, r -> r.restartPolicy)
            .add("metadata", String.class, r -> r.metadata)
            .add("startedAt", Date.class, r -> r.startedAt);
    }
}
