package io.processhub.examples;

import io.processhub.CheckpointConfiguration;
import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import io.processhub.HubConfiguration;
import io.processhub.ProcessHub;
import io.processhub.ProcessHubs;
import io.processhub.StartOptions;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.ignite.Ignite;
import org.apache.ignite.Ignition;

/**
 * Crash-safe state: counters checkpoint their count after every increment; one of the three nodes runs in a JVM of
 * its own and is killed with {@code kill -9} (no goodbye, no handover); its counters start again on the other nodes
 * from their last checkpoints, with their counts. Run with
 * {@code mvn -q -pl examples -am compile exec:exec@demo -Ddemo.mainClass=io.processhub.examples.CheckpointExample}.
 */
public final class CheckpointExample {
    private static final String HUB = "accounts";
    private static final int PORT = 47_700;
    private static final int CHILDREN = 60;

    private CheckpointExample() {
    }

    /** The hub: checkpoints on (one backup on each child's next owner), on demand only. */
    static HubConfiguration hub() {
        return new HubConfiguration(HUB).setCheckpoints(new CheckpointConfiguration().setEnabled(true).setBackups(1));
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 1) { // the node in a JVM of its own: runs until killed
            Ignition.start(LocalNode.config(args[0], PORT, hub()));
            System.out.println("ready");
            Thread.currentThread().join();
        }
        System.setProperty("IGNITE_QUIET", "false");
        Process victim = launch("node-c");
        Ignite a = Ignition.start(LocalNode.config("node-a", PORT, hub()));
        Ignition.start(LocalNode.config("node-b", PORT, hub()));
        ProcessHub hub = ProcessHubs.hub(a, HUB);
        await(() -> hub.nodes().size() == 3, "node-c to join");

        List<ChildSpec> specs = new ArrayList<>();
        for (int i = 0; i < CHILDREN; i++)
            specs.add(ChildSpec.of(String.format("account-%02d", i), CheckpointingCounterChild.class));
        List<String> onC = new ArrayList<>();
        for (ChildRef r : hub.startChildren(specs, StartOptions.defaults()).get().started())
            if (r.node().equals("node-c"))
                onC.add(r.childId());
        for (ChildSpec s : specs)
            for (int k = 0; k < 3; k++)
                hub.call(s.id(), "inc", Duration.ofSeconds(5)).get(); // each "inc" checkpoints the count
        Thread.sleep(500); // let the last checkpoints land (they are asynchronous)

        System.out.printf("%d counters run on node-c (another JVM, pid %d); kill -9 now%n", onC.size(), victim.pid());
        victim.destroyForcibly().waitFor();
        await(() -> onC.stream().allMatch(id -> hub.activeRef(id).map(r -> !r.node().equals("node-c")).orElse(false)),
            "node-c's counters to run elsewhere");

        int kept = 0;
        for (String id : onC) {
            Object count = hub.call(id, "get", Duration.ofSeconds(5)).get();
            if (Long.valueOf(3).equals(count))
                kept++;
            System.out.printf("  %s now on %s: count %s%n", id, hub.activeRef(id).orElseThrow().node(), count);
        }
        System.out.printf("%d of %d counters of the crashed node resumed from their checkpoint of 3%n", kept, onC.size());
        Ignition.stopAll(true);
        System.exit(0);
    }

    /** This class's main in a new JVM, with this JVM's flags and class path. */
    private static Process launch(String name) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), CheckpointExample.class.getName(), name));
        File log = new File(System.getProperty("java.io.tmpdir"), "processhub-checkpoint-example-" + name + ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log).start();
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly));
        return p;
    }

    private interface Condition {
        boolean holds();
    }

    private static void await(Condition c, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!c.holds()) {
            if (System.nanoTime() > deadline)
                throw new IllegalStateException("gave up waiting for " + what);
            Thread.sleep(50);
        }
    }
}
