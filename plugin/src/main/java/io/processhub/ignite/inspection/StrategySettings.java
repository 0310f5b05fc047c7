package io.processhub.ignite.inspection;

import io.processhub.HubConfiguration;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.StringJoiner;

/**
 * A hub's five strategies with their settings as one line for operators, e.g.
 * {@code ConsistentHashing(partitions=1024, virtualNodes=512), Singularity, ColdSwap, PubSub(syncInterval=15000), Divergence}.
 * Settings are the strategy's JavaBean getters, so user-written strategies are described as well.
 */
public final class StrategySettings {
    private StrategySettings() {
    }

    public static String describe(HubConfiguration cfg) {
        StringJoiner res = new StringJoiner(", ");
        for (Object s : List.of(cfg.getDistributionStrategy(), cfg.getRedundancyStrategy(), cfg.getMigrationStrategy(),
            cfg.getSynchronizationStrategy(), cfg.getPartitionToleranceStrategy()))
            res.add(describe(s));
        return res.toString();
    }

    public static String describe(Object strategy) {
        List<Method> getters = new ArrayList<>();
        for (Method m : strategy.getClass().getMethods())
            if (isGetter(m))
                getters.add(m);
        String name = strategy.getClass().getSimpleName();
        if (getters.isEmpty())
            return name;
        getters.sort(Comparator.comparing(StrategySettings::propertyName));
        StringJoiner settings = new StringJoiner(", ", name + "(", ")");
        for (Method m : getters) {
            Object value;
            try {
                value = m.invoke(strategy);
            }
            catch (ReflectiveOperationException | RuntimeException e) {
                value = "?";
            }
            settings.add(propertyName(m) + "=" + value);
        }
        return settings.toString();
    }

    private static boolean isGetter(Method m) {
        if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || m.getDeclaringClass() == Object.class)
            return false;
        String n = m.getName();
        return n.startsWith("get") && n.length() > 3
            || n.startsWith("is") && n.length() > 2 && (m.getReturnType() == boolean.class || m.getReturnType() == Boolean.class);
    }

    private static String propertyName(Method m) {
        String n = m.getName();
        String p = n.substring(n.startsWith("is") ? 2 : 3);
        return Character.toLowerCase(p.charAt(0)) + p.substring(1);
    }
}
