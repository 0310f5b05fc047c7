package io.processhub;

import java.io.Serializable;
import java.util.Objects;
import java.util.UUID;

/**
 * The "pid" of one running replica: hub, child, the node that runs it (consistent id and the node's
 * runtime id), the incarnation (1 for the first start, +1 per restart) and its role.
 */
public final class ChildRef implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String hubId;
    private final String childId;
    private final String node;
    private final UUID nodeId;
    private final long incarnation;
    private final ReplicaRole role;

    public ChildRef(String hubId, String childId, String node, UUID nodeId, long incarnation, ReplicaRole role) {
        this.hubId = hubId;
        this.childId = childId;
        this.node = node;
        this.nodeId = nodeId;
        this.incarnation = incarnation;
        this.role = role;
    }

    public String hubId() {
        return hubId;
    }

    public String childId() {
        return childId;
    }

    /** Consistent id of the node that runs this replica. */
    public String node() {
        return node;
    }

    /** Runtime id of that node: changes when a node with the same consistent id restarts. */
    public UUID nodeId() {
        return nodeId;
    }

    public long incarnation() {
        return incarnation;
    }

    public ReplicaRole role() {
        return role;
    }

    /** The same replica with another role. */
    public ChildRef withRole(ReplicaRole newRole) {
        return new ChildRef(hubId, childId, node, nodeId, incarnation, newRole);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o)
            return true;
        if (!(o instanceof ChildRef))
            return false;
        ChildRef r = (ChildRef)o;
        return incarnation == r.incarnation && childId.equals(r.childId) && nodeId.equals(r.nodeId)
            && hubId.equals(r.hubId) && role == r.role;
    }

    @Override
    public int hashCode() {
        return Objects.hash(childId, nodeId, incarnation);
    }

    @Override
    public String toString() {
        return "<" + hubId + '/' + childId + '@' + node + '#' + incarnation + (role == ReplicaRole.ACTIVE ? "" : " " + role) + '>';
    }
}
