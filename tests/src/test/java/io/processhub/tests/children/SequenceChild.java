package io.processhub.tests.children;

import io.processhub.ChildContext;
import io.processhub.StatefulChild;
import io.processhub.StopReason;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A stateful child that checks the order of its messages. Each message is {@code "<kind>:<load>-<sender>:<seq>"},
 * with {@code seq} counting up from 1 per sender and child; the child counts the messages of each kind and load, and
 * remembers each sender's last {@code seq}. A message whose {@code seq} is not the next one of its sender (a gap, a repeat, an
 * overtaking) is recorded in {@link #DISORDER}, shared with the test by the in-JVM nodes. A {@code "call"} message
 * answers the child's count of calls; {@code "count:call:<load>"} and {@code "count:cast:<load>"} read the counts. The counts and
 * the last seqs move with the child (HotSwap).
 */
public class SequenceChild implements StatefulChild<HashMap<String, Long>> {
    /** Messages that came out of their sender's order, as {@code "<child>: <message> after <seq>"}. */
    public static final Queue<String> DISORDER = new ConcurrentLinkedQueue<>();

    private String id;
    /** Per sender its last seq; under the keys {@code "#call:<load>"} and {@code "#cast:<load>"} the counts of messages. */
    private HashMap<String, Long> seen = new HashMap<>();

    public SequenceChild() {
    }

    @Override
    public void start(ChildContext ctx) {
        id = ctx.childId();
    }

    @Override
    public Object handle(Object message) {
        String[] parts = ((String)message).split(":");
        if (parts[0].equals("count"))
            return seen.getOrDefault("#" + parts[1] + ":" + parts[2], 0L);
        long seq = Long.parseLong(parts[2]);
        long last = seen.getOrDefault(parts[1], 0L);
        if (seq != last + 1)
            DISORDER.add(id + ": " + message + " after " + last);
        seen.put(parts[1], Math.max(seq, last));
        return seen.merge("#" + parts[0] + ":" + parts[1].split("-")[0], 1L, Long::sum);
    }

    @Override
    public HashMap<String, Long> handoverState() {
        return new HashMap<>(seen);
    }

    @Override
    public void restoreState(HashMap<String, Long> state) {
        seen = new HashMap<>(state);
    }

    @Override
    public void stop(StopReason reason) {
    }
}
