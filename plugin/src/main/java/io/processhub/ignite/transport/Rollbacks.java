package io.processhub.ignite.transport;

import io.processhub.ignite.HubContext;
import io.processhub.ignite.supervision.BatchResult;
import io.processhub.ignite.supervision.ChildPhase;
import io.processhub.ignite.supervision.LocalChild;
import io.processhub.ignite.supervision.StartItem;
import io.processhub.ignite.supervision.Supervisor;

import io.processhub.ChildError;
import io.processhub.ChildRef;
import io.processhub.StopReason;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The member's side of ROLLBACK batches: nothing of a batch its caller rolled back may stay running here, whatever
 * order the batch's messages arrive in. A start request that arrives after the caller's deadline, or after the
 * batch's abort, is refused; children a batch started are remembered, and stopped and unregistered when its abort
 * arrives; children still starting when it arrives are stopped as soon as their start is done. Loop only.
 */
final class Rollbacks {
    private static final Logger LOG = LogManager.getLogger(Rollbacks.class);

    private final HubContext hub;
    private final Supervisor supervisor;
    private final Transport transport;
    /** Stops children wherever they run now, without a caller waiting (children of a batch that moved away since). */
    private final Consumer<List<String>> stopWherever;
    private final RollbackLedger ledger = new RollbackLedger();

    Rollbacks(HubContext hub, Supervisor supervisor, Transport transport, Consumer<List<String>> stopWherever) {
        this.hub = hub;
        this.supervisor = supervisor;
        this.transport = transport;
        this.stopWherever = stopWherever;
    }

    /** Refuses (answers NODE_TIMEOUT for) a start of a ROLLBACK batch that comes too late; whether it did. */
    boolean refusedLate(Messages.StartRequest req) {
        String why;
        if (ledger.isAborted(req.origin, req.requestId))
            why = "the start request reached " + hub.localName + " after its batch was rolled back: nothing started";
        else if (System.currentTimeMillis() > req.rollbackDeadline)
            why = "the start request reached " + hub.localName + " after the caller's deadline; the batch asked for ROLLBACK, so nothing started";
        else
            return false;
        LOG.debug("Hub {} on {}: {} (batch {} of {})", hub.hubId, hub.localName, why, req.requestId, req.origin);
        BatchResult refused = new BatchResult();
        for (StartItem item : req.items())
            refused.error(new ChildError(item.spec.id(), hub.localName, ChildError.Reason.NODE_TIMEOUT, why), item.replica);
        transport.reply(req.origin, new Messages.StartReply(req.requestId, refused));
        return true;
    }

    /** Part of the batch went on to {@code node}: the abort follows it there. */
    void forwarded(Messages.StartRequest req, UUID node) {
        ledger.forwarded(req.origin, req.requestId, req.rollbackDeadline, node, System.currentTimeMillis());
    }

    /** The batch's children started here: remembered, or stopped at once if the batch was aborted meanwhile. */
    void started(Messages.StartRequest req, BatchResult result) {
        List<String> ids = new ArrayList<>(result.started.size());
        for (ChildRef r : result.started)
            ids.add(r.childId());
        if (ids.isEmpty())
            return;
        if (ledger.isAborted(req.origin, req.requestId)) {
            LOG.debug("Hub {} on {}: {} children of batch {} of {} started after its rollback; stopping them", hub.hubId,
                hub.localName, ids.size(), req.requestId, req.origin);
            supervisor.stop(ids, StopReason.REQUESTED, true, stopped -> { });
        }
        else
            ledger.started(req.origin, req.requestId, req.rollbackDeadline, ids, System.currentTimeMillis());
    }

    /** The caller rolls the batch back: undo it here, pass the abort on, answer with what was stopped. */
    void abort(Messages.AbortStart abort) {
        RollbackLedger.Undo undo = ledger.abort(abort, System.currentTimeMillis());
        if (undo == null)
            return; // a second copy (broadcast and passed on): the first one answered
        for (UUID node : undo.forwardedTo)
            transport.request(node, abort);
        List<String> here = new ArrayList<>();
        List<String> gone = new ArrayList<>();
        for (String id : undo.started) {
            LocalChild child = supervisor.local(id);
            if (child != null && child.phase != ChildPhase.RETIRED)
                here.add(id);
            else
                gone.add(id);
        }
        if (!gone.isEmpty())
            stopWherever.accept(gone); // moved to another node since it started: the ordinary stop finds it there
        supervisor.stop(here, StopReason.REQUESTED, true,
            stopped -> transport.reply(abort.origin, new Messages.AbortReply(abort.requestId, hub.localName, stopped)));
    }
}
