package io.processhub.ignite.inspection;

import io.processhub.ignite.membership.Membership;
import io.processhub.ignite.registry.Registry;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.apache.ignite.Ignite;
import org.apache.ignite.metric.MetricRegistry;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The metrics of one hub on one node, in Ignite's custom metric registry {@code custom.processhub.<hubId>}
 * (JMX, {@code control.sh --metric}, {@code SYS.METRICS}). Counters are {@link LongAdder}s the hub's parts bump
 * without locks; gauges read the hub's live state (see {@link HubStatus}) when an exporter asks.
 */
public final class HubMetrics {
    private static final Logger LOG = LogManager.getLogger(HubMetrics.class);

    /** Children whose first start on this node succeeded (restarts in place not included). */
    public final LongAdder childrenStarted = new LongAdder();
    /** Children that stopped running on this node for good, for any reason. */
    public final LongAdder childrenStopped = new LongAdder();
    /** Starts that failed on this node (invalid spec, constructor or start threw). */
    public final LongAdder childStartFailures = new LongAdder();
    /** Crashes of children on this node. */
    public final LongAdder childCrashes = new LongAdder();
    /** Successful restarts in place. */
    public final LongAdder childRestarts = new LongAdder();
    /** Children unregistered because they crashed more often than the restart intensity allows. */
    public final LongAdder childrenGivenUp = new LongAdder();
    /** Children the reconciler started here (not a start request): this node became their owner, or a repair. */
    public final LongAdder childrenMovedIn = new LongAdder();
    /** Children moved away from this node because it no longer owns them. */
    public final LongAdder childrenMovedOut = new LongAdder();
    /** Children whose state this node handed over to their new owner (HotSwap). */
    public final LongAdder handoversOut = new LongAdder();
    /** Children on this node that took over the state of their previous instance (HotSwap). */
    public final LongAdder handoversIn = new LongAdder();
    /** Membership changes of the hub this node handled. */
    public final LongAdder membershipChanges = new LongAdder();
    /** Registry entries the reconciler wrote or removed to repair drift. */
    public final LongAdder registryRepairs = new LongAdder();
    /** Entries of the local registry copy found out of date (a missed registry event) and corrected from the cache. */
    public final LongAdder registryCorrections = new LongAdder();
    /** Full reconciliation passes. */
    public final LongAdder reconcilePasses = new LongAdder();
    /** Lifecycle moves of local children that the transition table forbids, rejected (each one a bug). */
    public final LongAdder illegalTransitions = new LongAdder();
    /** Calls and casts refused because the child's mailbox was full. */
    public final LongAdder mailboxRejections = new LongAdder();
    /** Casts this node held for a child it could not hand them to and finally dropped (see CastRelay). */
    public final LongAdder castsDropped = new LongAdder();
    /** Checkpoints this node stored (the write was applied on the entry's primary and its backups). */
    public final LongAdder checkpointsWritten = new LongAdder();
    /** Checkpoints refused as stale: a newer one was stored, or a newer instance of the child claimed it. */
    public final LongAdder checkpointsRefused = new LongAdder();
    /** Checkpoints that could not be stored (marshalling, cache or node failure, hub stopping). */
    public final LongAdder checkpointsFailed = new LongAdder();
    /** Bytes of the marshalled states of the checkpoints this node stored. */
    public final LongAdder checkpointBytes = new LongAdder();
    /** Children on this node that restored a checkpoint (at their start, or when promoted to active). */
    public final LongAdder checkpointsRestored = new LongAdder();
    /** Casts held on arrival because an earlier cast of their sender had not come yet (see CastOrder). */
    public final LongAdder castsHeldForOrder = new LongAdder();
    /** Casts that came again after they were handled (sent again, passed on twice) and were dropped. */
    public final LongAdder castsDuplicate = new LongAdder();
    /** Casts given up as missing after later ones waited for them too long (the later ones were then handled). */
    public final LongAdder castsSkipped = new LongAdder();
    /** Casts this node sent again because their child had not acknowledged them (see CastOutbox). */
    public final LongAdder castsResent = new LongAdder();
    /** Duration of the last full reconciliation pass. */
    public final AtomicLong lastFullPassMillis = new AtomicLong();

    /** The name given to {@code ignite.metrics()}; Ignite prefixes it with {@code custom.}. */
    private final String registryName;
    private volatile boolean registered;

    public HubMetrics(String hubId) {
        this.registryName = "processhub." + hubId;
    }

    /** Publishes the counters and the gauges of {@code status} in the hub's registry. */
    public void register(Ignite ignite, HubStatus status) {
        registered = true;
        MetricRegistry reg = ignite.metrics().getOrCreate(registryName);
        reg.register("member", status::isMember, "Whether this node runs the hub (false: it only uses it)");
        reg.register("members", status::memberCount, "Nodes running the hub, as this node sees them");
        reg.register("topologyVersion", status::topologyVersion, "Ignite topology version of the hub's current membership");
        reg.register("partitioned", status::isPartitioned, "Whether this side lacks quorum: local children stopped, starts refused");
        reg.register("locked", status::isLocked, "Whether the hub is handling a membership change right now");
        reg.register("draining", status::isDraining, "Whether this node is being drained: it takes no placements, its children move away");
        reg.register("localChildren", status::localChildren, "Children running on this node (counted when read)");
        reg.register("registeredChildren", status::registeredChildren, "Children in this node's registry copy (counted when read)");
        reg.register("loopBacklog", status::loopBacklog, "Tasks waiting on the hub's serial loop on this node");
        reg.register("loopBacklogMax", status::loopBacklogMax,
            "Most tasks ever waiting on the hub's loop on this node (unbounded: it must take every discovery, registry and request event)");
        reg.register("hookBacklog", status::hookBacklog, "Hook events waiting for this node's hook thread (bounded)");
        reg.register("hookEventsDropped", status::hookEventsDropped,
            "Hook events dropped on this node because the hook queue was full (a handler blocks or is too slow)");
        counter(reg, "childrenStarted", childrenStarted, "Children whose first start on this node succeeded; restarts not included");
        counter(reg, "childrenStopped", childrenStopped,
            "Children that stopped running on this node for good: stop request, exit, moved away, given up, quorum lost");
        counter(reg, "childStartFailures", childStartFailures, "Child starts on this node that failed (invalid spec, constructor or start threw)");
        counter(reg, "childCrashes", childCrashes, "Crashes of children on this node (a handler threw or the child reported a failure)");
        counter(reg, "childRestarts", childRestarts, "Restarts in place of crashed or exited children on this node");
        counter(reg, "childrenGivenUp", childrenGivenUp, "Children unregistered because they exceeded the restart intensity");
        counter(reg, "childrenMovedIn", childrenMovedIn,
            "Children started here by reconciliation, not by a start request: this node became their owner or a lost replica was repaired");
        counter(reg, "childrenMovedOut", childrenMovedOut, "Children moved away from this node because it no longer owns them");
        counter(reg, "handoversOut", handoversOut, "Children whose state this node handed over to their new owner (HotSwap)");
        counter(reg, "handoversIn", handoversIn, "Children on this node that took over their previous instance's state (HotSwap)");
        counter(reg, "membershipChanges", membershipChanges, "Membership changes of the hub handled on this node");
        counter(reg, "registryRepairs", registryRepairs, "Registry entries written or removed by reconciliation to repair drift");
        counter(reg, "registryCorrections", registryCorrections,
            "Entries of this node's registry copy found out of date (a missed registry event), corrected from the cache");
        counter(reg, "reconcilePasses", reconcilePasses, "Full reconciliation passes (membership changes, sync interval, moves)");
        counter(reg, "illegalTransitions", illegalTransitions,
            "Lifecycle moves of local children rejected because the transition table forbids them (a bug: see the WARN log)");
        counter(reg, "mailboxRejections", mailboxRejections, "Calls and casts refused at once because the child's mailbox was full");
        counter(reg, "castsDropped", castsDropped,
            "Casts that reached a replica here that could not take them (passive, moving, gone) and that could not be passed on to the active one");
        counter(reg, "checkpointsWritten", checkpointsWritten, "Checkpoints this node stored (on the entry's primary and its backups)");
        counter(reg, "checkpointsRefused", checkpointsRefused,
            "Checkpoints refused as stale: a newer one was stored, or a newer instance of the child claimed it");
        counter(reg, "checkpointsFailed", checkpointsFailed,
            "Checkpoints that could not be stored (the state could not be marshalled, the cache or a node failed, the hub stopped)");
        counter(reg, "checkpointBytes", checkpointBytes, "Bytes of the marshalled states of the checkpoints this node stored");
        counter(reg, "checkpointsRestored", checkpointsRestored,
            "Children on this node that restored their last checkpoint, at their start or when promoted to active");
        counter(reg, "castsHeldForOrder", castsHeldForOrder,
            "Casts held on arrival here until an earlier cast of the same sender to the same child came (they are handled in send order)");
        counter(reg, "castsDuplicate", castsDuplicate, "Casts that reached their child here again after it handled them, dropped");
        counter(reg, "castsSkipped", castsSkipped,
            "Casts never received: later casts of their sender waited 10 s for them and were then handled without them");
        counter(reg, "castsResent", castsResent, "Casts this node sent again because their child had not acknowledged them");
        reg.register("lastFullPassMillis", lastFullPassMillis::get, "Duration of the last full reconciliation pass, in milliseconds");
    }

    private static void counter(MetricRegistry reg, String name, LongAdder adder, String desc) {
        reg.register(name, adder::sum, desc);
    }

    /** Removes the hub's registry; the node may be stopping, so a failure is only logged. */
    public void unregister(Ignite ignite) {
        if (!registered)
            return;
        try {
            ignite.metrics().remove(registryName);
        }
        catch (RuntimeException e) {
            LOG.debug("Metrics of {} not removed", registryName, e);
        }
    }
}
