package io.processhub.tests.chaos;

import io.processhub.ChildInfo;
import io.processhub.ChildRef;
import io.processhub.ProcessHub;
import io.processhub.ProcessHubs;
import io.processhub.tests.ChildJvm;
import io.processhub.tests.NetworkCut;
import io.processhub.tests.TestCluster;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.apache.ignite.Ignite;
import org.apache.ignite.Ignition;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.lang.IgniteCallable;
import org.apache.ignite.resources.IgniteInstanceResource;

/**
 * The nodes of a chaos run and the faults done to them. In this JVM: {@code a} and {@code b}, always up (the run's
 * clients), and {@code c}, which leaves and joins. In JVMs of their own: {@code j1} and {@code j2}, which are also
 * killed with {@code kill -9} and paused with SIGSTOP/SIGCONT. Every node has fixed ports and the SPIs of a {@link
 * NetworkCut} shared through a file, so {@code c}, {@code j1} and {@code j2} can also be cut off the others; they rejoin
 * by themselves after the heal (restarting their node in-process, {@code RejoinConfiguration}). Every JVM that ends is
 * reported to the {@link Oracle} at the moment this JVM sees it gone.
 */
final class ChaosCluster implements AutoCloseable {
    static final List<String> STABLE = List.of("a", "b");
    static final String CHURN = "c";
    static final List<String> JVMS = List.of("j1", "j2");
    private static final Duration JVM_READY = Duration.ofSeconds(120);

    private final Path eventsDir;
    private final Path cutFile;
    private final Oracle oracle;
    /** The nodes of this JVM that are up; their Ignite is looked up by name, as a rejoin replaces it. */
    private final Set<String> inJvm = ConcurrentHashMap.newKeySet();
    private final Map<String, ChildJvm> jvms = new ConcurrentHashMap<>();
    private final Map<String, String> jvmTags = new ConcurrentHashMap<>();
    private final Set<String> paused = ConcurrentHashMap.newKeySet();
    private int launches;

    ChaosCluster(Path eventsDir, Oracle oracle) {
        this.eventsDir = eventsDir;
        this.cutFile = eventsDir.resolve("network.cut").toAbsolutePath();
        this.oracle = oracle;
    }

    void startAll() throws Exception {
        NetworkCut.write(cutFile, Set.of());
        for (String n : STABLE)
            startInJvm(n);
        startInJvm(CHURN);
        for (String n : JVMS)
            launch(n);
    }

    /** Nodes that run (a paused JVM's node counts: it is there, only frozen). */
    Set<String> upNodes() {
        Set<String> res = new TreeSet<>(inJvm);
        for (Map.Entry<String, ChildJvm> e : jvms.entrySet())
            if (e.getValue().isAlive())
                res.add(e.getKey());
        return res;
    }

    Set<String> paused() {
        return new TreeSet<>(paused);
    }

    /** Nodes of this JVM that are up. */
    List<String> clients() {
        return new ArrayList<>(new TreeSet<>(inJvm));
    }

    ProcessHub hub(String node, String hubId) {
        return ProcessHubs.hub(ignite(node), hubId);
    }

    /** The node of this JVM running as {@code node} now (throws if it is down or restarting). */
    private Ignite ignite(String node) {
        if (!inJvm.contains(node))
            throw new IllegalStateException(node + " is down");
        return Ignition.ignite(node);
    }

    boolean isInJvm(String node) {
        return node.equals(CHURN) || STABLE.contains(node);
    }

    // ---- faults ----

    void launch(String name) throws IOException {
        String tag;
        synchronized (this) {
            tag = name + "-" + ProcessHandle.current().pid() + "-" + (++launches);
        }
        ChildJvm jvm = ChildJvm.launch(ChaosNodeMain.class, name, List.of(String.valueOf(TestCluster.PORT_BASE),
            eventsDir.resolve(tag + ".events").toAbsolutePath().toString(), tag, cutFile.toString()));
        jvms.put(name, jvm);
        jvmTags.put(name, tag);
        ProcessHandle.of(jvm.pid()).ifPresent(p -> p.onExit().thenRun(() -> oracle.jvmEnded(tag, ChaosEvents.nowMicros())));
        jvm.awaitReady(JVM_READY);
    }

    private void startInJvm(String name) {
        Ignition.start(ChaosHubs.node(name, TestCluster.PORT_BASE, cutFile));
        inJvm.add(name);
    }

    void joinInJvm() {
        startInJvm(CHURN);
    }

    /** A graceful stop of {@code c}; it is no client from the moment it starts to stop. */
    void leaveInJvm() {
        if (inJvm.remove(CHURN))
            Ignition.stop(CHURN, true);
    }

    void kill(String name) throws InterruptedException {
        ChildJvm jvm = jvms.get(name);
        jvm.kill();
        oracle.jvmEnded(jvmTags.get(name), ChaosEvents.nowMicros());
    }

    /** Closes the node's stdin and waits for its JVM to exit (kill -9 after a minute). */
    void leaveJvm(String name) throws Exception {
        ChildJvm jvm = jvms.get(name);
        jvm.leave();
        if (!ProcessHandle.of(jvm.pid()).map(p -> {
            try {
                p.onExit().get(60, TimeUnit.SECONDS);
                return true;
            }
            catch (Exception e) {
                return false;
            }
        }).orElse(true))
            kill(name);
        oracle.jvmEnded(jvmTags.get(name), ChaosEvents.nowMicros());
    }

    /** SIGSTOP, {@code pause}, SIGCONT: the fault itself takes that long, so this thread sleeps through it. */
    void pause(String name, Duration pause) throws Exception {
        ChildJvm jvm = jvms.get(name);
        paused.add(name);
        try {
            signal("STOP", jvm.pid());
            Thread.sleep(pause.toMillis());
        }
        finally {
            signal("CONT", jvm.pid());
            paused.remove(name);
        }
    }

    private static void signal(String sig, long pid) throws Exception {
        Process p = new ProcessBuilder("kill", "-" + sig, String.valueOf(pid)).inheritIO().start();
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0)
            throw new IllegalStateException("kill -" + sig + " " + pid + " failed");
    }

    /**
     * Cuts {@code side} off the other nodes until {@code a} dropped them and {@code hold} more has passed, heals, and
     * waits (at most {@code bound}) until every node of {@code side} is back in {@code a}'s topology as a new node: it
     * rejoined. A node of a JVM that ended instead (it stopped on its own) is not waited for.
     *
     * @return the milliseconds from the heal until the last of them was back
     */
    long cutAndRejoin(Set<String> side, Duration hold, Duration bound) throws Exception {
        Map<String, UUID> before = serverIds();
        NetworkCut.write(cutFile, side);
        try {
            Awaitility.await().atMost(bound).pollInterval(Duration.ofMillis(200))
                .until(() -> side.stream().noneMatch(n -> before.get(n) != null && before.get(n).equals(serverIds().get(n))));
            Thread.sleep(hold.toMillis()); // the cut lasts on: part of the fault
        }
        finally {
            NetworkCut.write(cutFile, Set.of());
        }
        long healed = System.nanoTime();
        Awaitility.await().atMost(bound).pollInterval(Duration.ofMillis(200)).until(() -> {
            Map<String, UUID> now = serverIds();
            return side.stream().allMatch(n -> (!isInJvm(n) && !isAlive(n)) || (now.get(n) != null && !now.get(n).equals(before.get(n))));
        });
        return (System.nanoTime() - healed) / 1_000_000;
    }

    /** Consistent id → node id of the servers {@code a} sees. */
    private Map<String, UUID> serverIds() {
        Map<String, UUID> res = new HashMap<>();
        for (ClusterNode n : ignite("a").cluster().forServers().nodes())
            res.put(String.valueOf(n.consistentId()), n.id());
        return res;
    }

    boolean isAlive(String jvmNode) {
        ChildJvm jvm = jvms.get(jvmNode);
        return jvm != null && jvm.isAlive();
    }

    // ---- what the nodes say ----

    /** Members of a hub as {@code a} sees them. */
    List<String> members(String hubId) {
        return hub("a", hubId).nodes();
    }

    /** A node's registry copy of a hub: child id → its refs, taken on that node (in this JVM or by a compute job). */
    Map<String, List<ChildRef>> registry(String node, String hubId) {
        if (isInJvm(node))
            return RegistryCopy.of(hub(node, hubId));
        Ignite a = ignite("a");
        ClusterNode target = a.cluster().forServers().nodes().stream()
            .filter(n -> node.equals(String.valueOf(n.consistentId()))).findFirst()
            .orElseThrow(() -> new IllegalStateException(node + " is not in the topology"));
        return a.compute(a.cluster().forNode(target)).withTimeout(10_000).call(new RegistryCopy(hubId));
    }

    @Override
    public void close() {
        for (String n : new ArrayList<>(paused))
            try {
                signal("CONT", jvms.get(n).pid());
            }
            catch (Exception ignored) {
                // closed below anyway
            }
        for (ChildJvm jvm : jvms.values())
            jvm.close();
        leaveInJvm();
        for (String n : STABLE)
            if (inJvm.remove(n))
                Ignition.stop(n, true);
    }

    /** A compute job: the hub's registry copy on the node it runs on. */
    static final class RegistryCopy implements IgniteCallable<HashMap<String, List<ChildRef>>> {
        private static final long serialVersionUID = 1L;

        private final String hubId;

        @IgniteInstanceResource
        private transient Ignite ignite;

        RegistryCopy(String hubId) {
            this.hubId = hubId;
        }

        @Override
        public HashMap<String, List<ChildRef>> call() {
            return of(ProcessHubs.hub(ignite, hubId));
        }

        static HashMap<String, List<ChildRef>> of(ProcessHub hub) {
            HashMap<String, List<ChildRef>> res = new HashMap<>();
            for (ChildInfo info : hub.children())
                res.put(info.id(), new ArrayList<>(info.refs()));
            return res;
        }
    }
}
