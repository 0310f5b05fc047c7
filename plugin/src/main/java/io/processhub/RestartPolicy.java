package io.processhub;

/** When the supervisor restarts a child, as in OTP. */
public enum RestartPolicy {
    /** Always restarted: after a crash and after {@link ChildContext#exit()}. */
    PERMANENT,
    /** Restarted after a crash; {@link ChildContext#exit()} stops it and unregisters it cluster-wide. */
    TRANSIENT,
    /** Never restarted: a crash or an exit unregisters it cluster-wide. */
    TEMPORARY
}
