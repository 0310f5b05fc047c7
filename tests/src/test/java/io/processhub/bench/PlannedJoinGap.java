package io.processhub.bench;

import io.processhub.ChildSpec;
import io.processhub.HubConfiguration;
import io.processhub.ProcessHub;
import io.processhub.StartOptions;
import io.processhub.StartResult;
import io.processhub.examples.LocalNode;
import io.processhub.tests.ActiveMoves;
import io.processhub.tests.ActiveReplicaChecks;
import io.processhub.tests.Replicas;
import io.processhub.tests.TestCluster;
import io.processhub.tests.children.RoleTimelineChild;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;

/**
 * Part 9 of the benchmark: make before break on a planned join. Four nodes run an ACTIVE_PASSIVE hub (two copies);
 * a fifth joins and becomes the first owner of about a fifth of the children. Their active role moves to it only once
 * its replica runs; the figure is the longest time any child had no active replica, read from the children's own
 * records of when they were told ACTIVE or PASSIVE.
 */
final class PlannedJoinGap {
    private static final String HUB = "pjoin";
    /** Port base of this part's cluster (after the other parts'). */
    private static final int PORT = 61_210;

    private final Report report;
    private final int n;

    PlannedJoinGap(Report report, boolean quick) {
        this.report = report;
        this.n = quick ? 300 : 3_000;
    }

    void run() throws Exception {
        System.out.printf("%n== Planned join: %,d ACTIVE_PASSIVE children (2 copies) on ja..jd; je joins%n", n);
        try (TestCluster cluster = new TestCluster(PlannedJoinGap::hubs)) {
            for (String name : List.of("ja", "jb", "jc", "jd"))
                cluster.start(config(name));
            List<String> ids = IntStream.range(0, n).mapToObj(i -> "pjg-" + i).collect(Collectors.toList());
            List<ChildSpec> specs = ids.stream().map(id -> ChildSpec.of(id, RoleTimelineChild.class)).collect(Collectors.toList());
            ProcessHub hub = cluster.hub("ja", HUB);
            StartResult res = hub.startChildren(specs, StartOptions.defaults().timeout(Duration.ofMinutes(1))).get(2, TimeUnit.MINUTES);
            if (!res.isOk())
                throw new IllegalStateException("planned join setup: " + res);
            awaitSettled(cluster, ids);
            ActiveMoves moves = ActiveMoves.before(ids, id -> hub.activeRef(id).orElseThrow().node());
            cluster.start(config("je"));
            awaitSettled(cluster, ids);
            ActiveMoves.Outcome out = moves.after(id -> hub.activeRef(id).orElseThrow().node());

            Map<String, Object> m = report.section("planned_join");
            m.put("children", n);
            m.put("actives_moved", out.gapsMicros.size() + out.violations.size());
            m.put("violations", out.violations.size());
            m.put("us_no_active_gap_median", out.medianGapMicros());
            m.put("us_no_active_gap_max", out.maxGapMicros());
            System.out.printf("   %,d actives moved to je; no-active gap median %.1f ms, max %.1f ms; %d violations%s%n",
                out.gapsMicros.size(), out.medianGapMicros() / 1e3, out.maxGapMicros() / 1e3, out.violations.size(),
                out.violations.isEmpty() ? "" : ", first: " + out.violations.get(0));
            report.row("9", "planned join: violations (two active, or demoted before the new replica ran)", "0",
                String.valueOf(out.violations.size()), out.violations.isEmpty());
            report.row("9", "planned join: longest no-active gap of any moved child", "≤ 50 ms",
                String.format(Locale.ROOT, "%.1f ms (median %.1f ms, %,d moved)", out.maxGapMicros() / 1e3,
                    out.medianGapMicros() / 1e3, out.gapsMicros.size()),
                !out.gapsMicros.isEmpty() && out.maxGapMicros() <= 50_000);
        }
    }

    private static org.apache.ignite.configuration.IgniteConfiguration config(String name) {
        return LocalNode.config(name, PORT, hubs())
            .setFailureDetectionTimeout(20_000); // two shared cores and big collections: no false failures
    }

    private static HubConfiguration[] hubs() {
        return new HubConfiguration[] {new HubConfiguration(HUB).setRedundancyStrategy(Replicas.activePassive(2))};
    }

    private static void awaitSettled(TestCluster cluster, List<String> ids) {
        Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
            .until(() -> ActiveReplicaChecks.settled(cluster, HUB, ids, 2));
    }
}
