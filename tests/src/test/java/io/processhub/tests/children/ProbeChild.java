package io.processhub.tests.children;

import io.processhub.ChildContext;
import io.processhub.ChildProcess;
import io.processhub.StopReason;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A counter child that also lets tests see its instances from the outside: how many instances of an id are
 * started and not stopped (across every node of the test JVM) and why the last one was stopped.
 *
 * <p>Messages: {@code "inc"}, {@code "get"}, {@code "where"} (node), {@code "incarnation"}, {@code "role"}, {@code "crash"}
 * (throws), {@code "exit"} ({@link ChildContext#exit()}), {@code "fail-async"} (a background thread of the
 * child reports {@link ChildContext#fail(Throwable)}), {@code "block:<gate>"} (waits at a {@link Gates gate}).
 */
public class ProbeChild implements ChildProcess {
    private static final Map<String, AtomicInteger> LIVE = new ConcurrentHashMap<>();
    private static final Map<String, StopReason> LAST_STOP = new ConcurrentHashMap<>();

    private ChildContext ctx;
    private long count;

    public ProbeChild() {
    }

    /**
     * Instances of {@code childId} whose {@code start} returned and whose {@code stop} was not called. A crashed
     * instance is never stopped, so this is meaningful only for children that do not crash.
     */
    public static int live(String childId) {
        AtomicInteger n = LIVE.get(childId);
        return n == null ? 0 : n.get();
    }

    /** The reason given to the last {@code stop} of {@code childId}, or null. */
    public static StopReason lastStop(String childId) {
        return LAST_STOP.get(childId);
    }

    @Override
    public void start(ChildContext ctx) throws Exception {
        this.ctx = ctx;
        LIVE.computeIfAbsent(ctx.childId(), k -> new AtomicInteger()).incrementAndGet();
    }

    @Override
    public Object handle(Object message) throws Exception {
        String msg = String.valueOf(message);
        if (msg.startsWith("block:")) {
            Gates.pass(msg.substring("block:".length()));
            return "unblocked";
        }
        switch (msg) {
            case "inc":
                return ++count;
            case "get":
                return count;
            case "where":
                return ctx.self().node();
            case "incarnation":
                return ctx.self().incarnation();
            case "role":
                return ctx.role().name();
            case "crash":
                throw new IllegalStateException("asked to crash");
            case "exit":
                ctx.exit();
                return "bye";
            case "fail-async":
                ChildContext c = ctx;
                Thread t = new Thread(() -> c.fail(new IllegalStateException("background task of " + c.childId() + " died")),
                    "probe-background-" + ctx.childId());
                t.setDaemon(true);
                t.start();
                return "failing";
            default:
                throw new IllegalArgumentException("unknown message: " + message);
        }
    }

    @Override
    public void stop(StopReason reason) {
        LAST_STOP.put(ctx.childId(), reason);
        LIVE.get(ctx.childId()).decrementAndGet();
    }
}
