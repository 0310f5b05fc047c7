package io.processhub.ignite.service;

import io.processhub.ChildSpec;
import java.util.UUID;
import org.apache.ignite.Ignite;

/**
 * Rejects constructor arguments that cannot travel between nodes before anything is sent: values of
 * common immutable types pass at once, anything else must go through Ignite's binary marshaller.
 */
public final class ArgumentCheck {
    private final Ignite ignite;

    public ArgumentCheck(Ignite ignite) {
        this.ignite = ignite;
    }

    public String problem(ChildSpec spec) {
        for (Object arg : spec.args()) {
            if (arg == null || arg instanceof String || arg instanceof Number || arg instanceof Boolean
                || arg instanceof Character || arg instanceof UUID || arg instanceof Enum)
                continue;
            if (arg.getClass().isSynthetic() || arg.getClass().isAnonymousClass() || arg.getClass().isLocalClass())
                return "argument of type " + arg.getClass().getName() + " of child " + spec.id()
                    + " cannot be sent to other nodes (lambdas, anonymous and local classes cannot be marshalled)";
            try {
                ignite.binary().toBinary(arg);
            }
            catch (RuntimeException e) {
                return "argument of type " + arg.getClass().getName() + " of child " + spec.id()
                    + " cannot be marshalled: " + e.getMessage();
            }
        }
        return null;
    }
}
