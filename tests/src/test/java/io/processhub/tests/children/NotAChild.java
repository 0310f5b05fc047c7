package io.processhub.tests.children;

/** A loadable public class with a public constructor that does not implement {@code ChildProcess}. */
public class NotAChild {
    public NotAChild() {
    }
}
