package io.processhub.examples;

import io.processhub.ChildContext;
import io.processhub.ChildProcess;

/**
 * A small stateful child: counts the messages it was sent. {@code "inc"} adds one and answers the new
 * count, {@code "get"} answers the count, {@code "where"} answers the node it runs on, {@code "crash"}
 * throws (the supervisor restarts it with a fresh count), {@code "exit"} asks for a clean shutdown.
 */
public class CounterChild implements ChildProcess {
    private ChildContext ctx;
    /** The count: the child's state. */
    protected long count;

    public CounterChild() {
    }

    @Override
    public void start(ChildContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Object handle(Object message) {
        switch (String.valueOf(message)) {
            case "inc":
                return ++count;
            case "get":
                return count;
            case "where":
                return ctx.self().node();
            case "crash":
                throw new IllegalStateException("asked to crash");
            case "exit":
                ctx.exit();
                return "bye";
            default:
                throw new IllegalArgumentException("unknown message: " + message);
        }
    }
}
