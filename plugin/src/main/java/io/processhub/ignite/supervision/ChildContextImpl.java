package io.processhub.ignite.supervision;

import io.processhub.ChildContext;
import io.processhub.ChildRef;
import io.processhub.ProcessHub;
import io.processhub.ReplicaRole;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.ignite.Ignite;

/**
 * The context of one incarnation of a child. It follows its cell while that incarnation is current, through
 * role changes (which replace the cell's ref but not the instance); once a restart made a newer incarnation,
 * this one's exit/fail are ignored and self() keeps the last ref it had.
 */
final class ChildContextImpl implements ChildContext {
    private final SupervisionContext hub;
    private final Supervisor supervisor;
    private final ChildCell cell;
    /** The ref this incarnation had when it was last current: always of this incarnation. */
    private volatile ChildRef last;

    ChildContextImpl(SupervisionContext hub, Supervisor supervisor, ChildCell cell, ChildRef self) {
        this.hub = hub;
        this.supervisor = supervisor;
        this.cell = cell;
        this.last = self;
    }

    private boolean isCurrent() {
        return cell.incarnation() == last.incarnation();
    }

    @Override
    public String childId() {
        return cell.id;
    }

    @Override
    public String hubId() {
        return hub.hubId;
    }

    @Override
    public ChildRef self() {
        ChildRef now = cell.ref;
        if (now != null && now.incarnation() == last.incarnation())
            last = now;
        return last;
    }

    @Override
    public ReplicaRole role() {
        return self().role();
    }

    @Override
    public Map<String, String> metadata() {
        return cell.spec.metadata();
    }

    @Override
    public Ignite ignite() {
        return hub.ignite.get();
    }

    @Override
    public ProcessHub hub() {
        return hub.api.get();
    }

    @Override
    public CompletableFuture<Void> checkpoint() {
        return supervisor.checkpoint(cell);
    }

    @Override
    public void exit() {
        cell.enqueue(() -> {
            if (isCurrent())
                supervisor.exited(cell);
        });
    }

    @Override
    public void fail(Throwable cause) {
        cell.enqueue(() -> {
            if (isCurrent())
                supervisor.crashed(cell, cause);
        });
    }
}
