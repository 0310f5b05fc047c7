package io.processhub.ignite.supervision;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.concurrent.atomic.LongAdder;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The phase of one local child and the one way to change it. A move names the phase the caller saw and the
 * phase it wants; moves the table does not allow are rejected (logged at WARN and counted), and a move whose
 * starting phase is no longer current changes nothing: the loop and the child's mailbox both move a child (a
 * stop request against a crash), and whichever comes second sees the other's result.
 */
public final class ChildLifecycle {
    private static final Logger LOG = LogManager.getLogger(ChildLifecycle.class);

    /** The legal moves. RETIRED has none: a tombstone only ever leaves the supervisor's map. */
    private static final Map<ChildPhase, Set<ChildPhase>> LEGAL = new EnumMap<>(ChildPhase.class);

    static {
        LEGAL.put(ChildPhase.STARTING, EnumSet.of(ChildPhase.RUNNING, ChildPhase.STOPPING, ChildPhase.DEAD));
        LEGAL.put(ChildPhase.RUNNING, EnumSet.of(ChildPhase.MOVING_OUT, ChildPhase.STOPPING, ChildPhase.DEAD));
        LEGAL.put(ChildPhase.MOVING_OUT, EnumSet.of(ChildPhase.STOPPING, ChildPhase.DEAD));
        LEGAL.put(ChildPhase.STOPPING, EnumSet.of(ChildPhase.DEAD));
        LEGAL.put(ChildPhase.DEAD, EnumSet.of(ChildPhase.RETIRED));
        LEGAL.put(ChildPhase.RETIRED, EnumSet.noneOf(ChildPhase.class));
    }

    private final String childId;
    private final String hubId;
    private final LongAdder illegalMoves;
    /** Changed only through {@link #PHASE}: a field updater rather than an AtomicReference saves an object per child. */
    private volatile ChildPhase phase;
    private static final AtomicReferenceFieldUpdater<ChildLifecycle, ChildPhase> PHASE =
        AtomicReferenceFieldUpdater.newUpdater(ChildLifecycle.class, ChildPhase.class, "phase");

    public ChildLifecycle(String childId, String hubId, ChildPhase initial, LongAdder illegalMoves) {
        this.childId = childId;
        this.hubId = hubId;
        this.illegalMoves = illegalMoves;
        this.phase = initial;
    }

    public static boolean isLegal(ChildPhase from, ChildPhase to) {
        return LEGAL.get(from).contains(to);
    }

    public ChildPhase phase() {
        return phase;
    }

    /**
     * Moves the child from {@code from} to {@code to}.
     *
     * @return whether it moved: false for an illegal move (rejected and counted) and when the child is no
     *     longer in {@code from}
     */
    public boolean move(ChildPhase from, ChildPhase to) {
        if (!isLegal(from, to)) {
            illegalMoves.increment();
            LOG.warn("Child {} of hub {}: illegal lifecycle move {} -> {} rejected (now {})", childId, hubId, from, to,
                phase, new IllegalStateException("illegal move"));
            return false;
        }
        if (PHASE.compareAndSet(this, from, to))
            return true;
        LOG.debug("Child {} of hub {}: move {} -> {} skipped, it is {} now", childId, hubId, from, to, phase);
        return false;
    }

    @Override
    public String toString() {
        return phase.name();
    }
}
