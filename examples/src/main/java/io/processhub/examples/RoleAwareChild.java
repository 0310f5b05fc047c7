package io.processhub.examples;

import io.processhub.ChildContext;
import io.processhub.ReplicaAware;
import io.processhub.ReplicaRole;

/**
 * A replica that does its work only while it is the active one: with the {@code Replication} strategy in
 * ACTIVE_PASSIVE mode and a redundancy signal, {@link #onRoleChange} tells it when it is promoted or
 * demoted. Messages: {@code "role"} (the last role it was told, or null), {@code "where"}.
 */
public class RoleAwareChild implements ReplicaAware {
    private ChildContext ctx;
    private volatile ReplicaRole toldRole;

    public RoleAwareChild() {
    }

    @Override
    public void start(ChildContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void onRoleChange(ReplicaRole role) {
        toldRole = role;
    }

    @Override
    public Object handle(Object message) {
        switch (String.valueOf(message)) {
            case "role":
                return toldRole;
            case "where":
                return ctx.self().node();
            default:
                throw new IllegalArgumentException("unknown message: " + message);
        }
    }
}
