package io.processhub.ignite.supervision;

import io.processhub.ignite.HubContext;

import io.processhub.ChildContext;
import io.processhub.ChildRef;
import io.processhub.ProcessHub;
import io.processhub.ReplicaRole;
import java.util.Map;
import org.apache.ignite.Ignite;

/** The context of one incarnation of a child: after a restart, the old incarnation's exit/fail are ignored. */
public final class ChildContextImpl implements ChildContext {
    private final HubContext hub;
    private final Supervisor supervisor;
    private final ChildCell cell;
    private final ChildRef self;

    public ChildContextImpl(HubContext hub, Supervisor supervisor, ChildCell cell, ChildRef self) {
        this.hub = hub;
        this.supervisor = supervisor;
        this.cell = cell;
        this.self = self;
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
        return self;
    }

    @Override
    public ReplicaRole role() {
        return self.role();
    }

    @Override
    public Map<String, String> metadata() {
        return cell.spec.metadata();
    }

    @Override
    public Ignite ignite() {
        return hub.ignite;
    }

    @Override
    public ProcessHub hub() {
        return hub.api;
    }

    @Override
    public void exit() {
        cell.enqueue(() -> {
            if (cell.ref == self)
                supervisor.exited(cell);
        });
    }

    @Override
    public void fail(Throwable cause) {
        cell.enqueue(() -> {
            if (cell.ref == self)
                supervisor.crashed(cell, cause);
        });
    }
}
