package io.processhub.tests.children;

import io.processhub.ChildContext;
import io.processhub.ChildProcess;

/** A child whose {@code start} always throws {@link IllegalStateException} with the given message. */
public class ThrowingStartChild implements ChildProcess {
    private final String message;

    public ThrowingStartChild(String message) {
        this.message = message;
    }

    @Override
    public void start(ChildContext ctx) {
        throw new IllegalStateException(message);
    }
}
