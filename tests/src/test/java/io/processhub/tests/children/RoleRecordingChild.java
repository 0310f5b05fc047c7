package io.processhub.tests.children;

import io.processhub.ChildContext;
import io.processhub.ReplicaAware;
import io.processhub.ReplicaRole;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Records, per replica ("childId@node"), the last role it was told: in-JVM nodes share the map with the test. */
public class RoleRecordingChild implements ReplicaAware {
    public static final Map<String, ReplicaRole> TOLD = new ConcurrentHashMap<>();

    private String key;

    public RoleRecordingChild() {
    }

    @Override
    public void start(ChildContext ctx) {
        key = ctx.childId() + "@" + ctx.self().node();
    }

    @Override
    public void onRoleChange(ReplicaRole role) {
        TOLD.put(key, role);
    }

    @Override
    public void stop(io.processhub.StopReason reason) {
        TOLD.remove(key);
    }

    @Override
    public Object handle(Object message) {
        return key;
    }
}
