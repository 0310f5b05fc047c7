package io.processhub.tests.children;

import io.processhub.ChildContext;
import io.processhub.ChildProcess;

/** A child whose constructor always throws {@link IllegalStateException} with the given message. */
public class ThrowingConstructorChild implements ChildProcess {
    public ThrowingConstructorChild(String message) {
        throw new IllegalStateException(message);
    }

    @Override
    public void start(ChildContext ctx) {
    }
}
