package io.processhub.examples;

import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import io.processhub.hook.ChildrenEvent;
import io.processhub.hook.Hook;
import io.processhub.hook.HookHandler;
import io.processhub.hook.HubEvent;
import io.processhub.hook.PidUpdatedEvent;
import io.processhub.hook.RegistryEvent;
import io.processhub.hook.StartEvent;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * An example hook handler for any hook: logs each event and counts it, per hub, node and hook, and per child
 * for events that name children. A JavaBean, so it can be registered in Ignite's Spring XML:
 *
 * <pre>{@code
 * <property name="hooks">
 *   <list>
 *     <bean class="io.processhub.hook.HookRegistration">
 *       <property name="hook" value="PROCESS_STARTUPS"/>
 *       <property name="id" value="count-startups"/>
 *       <property name="priority" value="0"/>
 *       <property name="handler"><bean class="io.processhub.examples.CountingHookHandler"/></property>
 *     </bean>
 *   </list>
 * </property>
 * }</pre>
 *
 * <p>The counts are shared by every instance in the JVM (all nodes of an in-JVM cluster), so a program or a
 * test can read them with {@link #count(String, String, Hook)} and {@link #countFor(String, Hook, String)}.
 * Handlers run on the hub's hook thread: keep them short, as this one is.
 */
public class CountingHookHandler implements HookHandler<HubEvent> {
    private static final Logger LOG = LogManager.getLogger(CountingHookHandler.class);
    private static final Map<List<Object>, LongAdder> COUNTS = new ConcurrentHashMap<>();

    private boolean logEvents = true;

    public CountingHookHandler() {
    }

    /** Whether each event is logged at INFO (default true); counting happens either way. */
    public boolean isLogEvents() {
        return logEvents;
    }

    public void setLogEvents(boolean logEvents) {
        this.logEvents = logEvents;
    }

    @Override
    public void handle(HubEvent event) {
        Set<String> children = childIds(event);
        increment(key(event.hubId(), event.node(), event.hook(), null));
        for (String id : children)
            increment(key(event.hubId(), event.node(), event.hook(), id));
        if (logEvents)
            LOG.info("{} on {} in hub {}{}", event.hook(), event.node(), event.hubId(),
                children.isEmpty() ? "" : ", children " + (children.size() <= 10 ? children : children.size() + " children"));
    }

    /** Events of a hook handled on one node for one hub. */
    public static long count(String hubId, String node, Hook hook) {
        return read(key(hubId, node, hook, null));
    }

    /** Events of a hook that named a child, summed over the nodes of this JVM. */
    public static long countFor(String hubId, Hook hook, String childId) {
        long sum = 0;
        for (Map.Entry<List<Object>, LongAdder> e : COUNTS.entrySet()) {
            List<Object> k = e.getKey();
            if (k.size() == 4 && k.get(0).equals(hubId) && k.get(2) == hook && k.get(3).equals(childId))
                sum += e.getValue().sum();
        }
        return sum;
    }

    /** Events of a hook that named a child, on one node. */
    public static long countFor(String hubId, String node, Hook hook, String childId) {
        return read(key(hubId, node, hook, childId));
    }

    /** Forgets every count. */
    public static void reset() {
        COUNTS.clear();
    }

    /** The children an event names: registry entries, started, moved or restarted children. */
    private static Set<String> childIds(HubEvent event) {
        Set<String> ids = new LinkedHashSet<>();
        if (event instanceof RegistryEvent)
            ids.add(((RegistryEvent)event).childId());
        else if (event instanceof StartEvent)
            for (ChildRef r : ((StartEvent)event).started())
                ids.add(r.childId());
        else if (event instanceof ChildrenEvent)
            for (ChildSpec s : ((ChildrenEvent)event).children())
                ids.add(s.id());
        else if (event instanceof PidUpdatedEvent)
            ids.add(((PidUpdatedEvent)event).current().childId());
        return ids;
    }

    /** (hub, node, hook) or (hub, node, hook, child id). */
    private static List<Object> key(String hubId, String node, Hook hook, String childId) {
        return childId == null ? List.of(hubId, node, hook) : List.of(hubId, node, hook, childId);
    }

    private static void increment(List<Object> key) {
        COUNTS.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    private static long read(List<Object> key) {
        LongAdder a = COUNTS.get(key);
        return a == null ? 0 : a.sum();
    }
}
