package io.processhub.examples;

import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import io.processhub.HubConfiguration;
import io.processhub.ProcessHub;
import io.processhub.ProcessHubs;
import io.processhub.ReplicaRole;
import io.processhub.StartOptions;
import io.processhub.strategy.HotSwap;
import io.processhub.strategy.Replication;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.ignite.Ignite;
import org.apache.ignite.Ignition;

/**
 * Replication and state handover: every counter runs on two nodes (one active, one passive standby). When the
 * node running the active replicas shuts down, their state goes to the standbys, which become active: no
 * count is lost. Run with
 * {@code mvn -q -pl examples -am compile exec:exec@demo -Ddemo.mainClass=io.processhub.examples.ReplicationExample}.
 */
public final class ReplicationExample {
    private static final String HUB = "replicated";
    private static final int CHILDREN = 60;

    private ReplicationExample() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("IGNITE_QUIET", "false");
        Map<String, Ignite> nodes = new LinkedHashMap<>();
        for (String n : List.of("node-a", "node-b", "node-c"))
            nodes.put(n, Ignition.start(LocalNode.config(n, 47600, hub())));
        ProcessHub hub = ProcessHubs.hub(nodes.get("node-a"), HUB);

        List<ChildSpec> specs = new ArrayList<>();
        for (int i = 0; i < CHILDREN; i++)
            specs.add(ChildSpec.of(String.format("account-%02d", i), StatefulCounterChild.class));
        System.out.println("started " + hub.startChildren(specs, StartOptions.defaults()).get().started().size()
            + " replicas of " + CHILDREN + " counters (2 each: one ACTIVE, one PASSIVE)");
        for (ChildSpec s : specs)
            for (int k = 0; k < 3; k++)
                hub.call(s.id(), "inc", Duration.ofSeconds(5)).get();

        String victim = "node-c";
        List<String> movingIds = new ArrayList<>();
        for (ChildSpec s : specs)
            if (hub.activeRef(s.id()).map(ChildRef::node).orElse("").equals(victim))
                movingIds.add(s.id());
        System.out.printf("%d counters are active on %s; it shuts down now%n", movingIds.size(), victim);
        nodes.remove(victim).close();

        ProcessHub after = ProcessHubs.hub(nodes.get("node-a"), HUB);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!movingIds.stream().allMatch(id -> after.activeRef(id).map(r -> !r.node().equals(victim)).orElse(false)
            && after.refs(id).size() == 2 && after.refs(id).stream().filter(r -> r.role() == ReplicaRole.ACTIVE).count() == 1)) {
            if (System.nanoTime() > deadline)
                throw new IllegalStateException("replicas did not settle within 30 s");
            Thread.sleep(20);
        }

        System.out.println("+------------+----------------+------------+");
        System.out.println("| counter    | active now on  | count      |");
        System.out.println("+------------+----------------+------------+");
        int kept = 0;
        for (String id : movingIds) {
            Object count = after.call(id, "get", Duration.ofSeconds(5)).get();
            if (Long.valueOf(3).equals(count))
                kept++;
            System.out.printf("| %-10s | %-14s | %10s |%n", id, after.activeRef(id).orElseThrow().node(), count);
        }
        System.out.println("+------------+----------------+------------+");
        System.out.printf("%d of %d counters kept their count of 3 across the shutdown%n", kept, movingIds.size());
        Ignition.stopAll(true);
        System.exit(0);
    }

    private static HubConfiguration hub() {
        Replication replication = new Replication();
        replication.setReplicationFactor(2);
        replication.setReplicationModel(Replication.ReplicationModel.ACTIVE_PASSIVE);
        replication.setRedundancySignal(Replication.RedundancySignal.ALL);
        return new HubConfiguration(HUB).setRedundancyStrategy(replication).setMigrationStrategy(new HotSwap());
    }
}
