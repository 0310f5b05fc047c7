package io.processhub;

/** Role of one replica of a child. With the default {@code Singularity} redundancy every child is ACTIVE. */
public enum ReplicaRole {
    ACTIVE,
    PASSIVE
}
