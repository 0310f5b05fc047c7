package io.processhub.tests;

import java.lang.management.ManagementFactory;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.TabularData;

/**
 * Reads what Ignite exports over JMX from the platform MBean server, as an operator's JMX console would: metric
 * registries ({@code org.apache:...,igniteInstanceName=<node>,group=custom,name="processhub.<hub>"}) and system views
 * ({@code ...,group=views,name=<view>}). Beans are found by their key properties: Ignite adds a class-loader id.
 */
final class JmxReader {
    private static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();

    private JmxReader() {
    }

    /** The bean of Ignite node {@code node} in {@code group} named {@code name}; fails if there is none. */
    static ObjectName bean(String node, String group, String name) throws Exception {
        ObjectName found = find(node, group, name);
        if (found == null)
            throw new AssertionError("no JMX bean group=" + group + ", name=" + name + " of node " + node);
        return found;
    }

    static ObjectName find(String node, String group, String name) throws Exception {
        Set<ObjectName> names = SERVER.queryNames(new ObjectName("org.apache:group=" + group + ",*"), null);
        for (ObjectName n : names) {
            String beanName = n.getKeyProperty("name");
            if (beanName.startsWith("\""))
                beanName = ObjectName.unquote(beanName);
            if (node.equals(n.getKeyProperty("igniteInstanceName")) && name.equals(beanName))
                return n;
        }
        return null;
    }

    /** A numeric metric of hub {@code hubId} on {@code node}. */
    static long metric(String node, String hubId, String metric) throws Exception {
        return ((Number)SERVER.getAttribute(bean(node, "custom", "processhub." + hubId), metric)).longValue();
    }

    static Object metricValue(String node, String hubId, String metric) throws Exception {
        return SERVER.getAttribute(bean(node, "custom", "processhub." + hubId), metric);
    }

    /** The rows of system view {@code view} on {@code node}. */
    static TabularData view(String node, String view) throws Exception {
        return (TabularData)SERVER.getAttribute(bean(node, "views", view), "views");
    }
}
