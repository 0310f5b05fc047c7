package io.processhub.tests.chaos;

import io.processhub.ChildError;
import io.processhub.ChildRef;
import io.processhub.ChildSpec;
import io.processhub.ProcessHub;
import io.processhub.StartOptions;
import io.processhub.StartResult;
import io.processhub.StopResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A bounded randomised run over the nodes of a {@link ChaosCluster}: phases of operations (start, stop, call, cast on
 * both hubs, from the nodes of this JVM) with faults injected meanwhile by a second thread (kill -9, short and long
 * SIGSTOP, graceful leave, join), each phase ending in a quiet point where the run waits for the cluster to settle and
 * checks it. A third thread reads the children's event logs every half second and checks continuously. The seed fixes
 * every choice of the run (which operation, which child, which fault on which node, the pauses); the interleaving with
 * the cluster's own timing is not reproducible, so a replayed seed repeats the run's script, not its exact schedule.
 */
final class ChaosRun {
    /** How a run is bounded and judged; {@code cuts}: whether network cuts are among the faults. */
    record Settings(long seed, Duration length, Duration phase, Duration doubleLiveBound, Duration lostBound,
        Duration settleTimeout, int maxChildrenPerHub, boolean cuts) {
    }

    private static final List<String> HUBS = List.of(ChaosHubs.SINGLE, ChaosHubs.ACTIVE_PASSIVE);
    /** How {@link #settledProblems} ends a registry line about such a child. */
    private static final String STOPPED_BUT_LISTED = " (stopped by the run)";
    /** Below the failure detection timeout of {@code LocalNode} (3 s) and well above it. */
    private static final long SHORT_PAUSE_MS = 1_000;
    private static final long LONG_PAUSE_MS = 6_000;
    /**
     * Faults that take a node away (or may: a pause below the detection timeout on a loaded machine) leave at least
     * this many nodes up: the hubs' quorum ({@link ChaosHubs#QUORUM}), which also keeps the replicated hub's two replicas.
     */
    private static final int MIN_NODES = ChaosHubs.QUORUM;
    /** Nodes a network cut may take off the others: not {@code a} and {@code b}, the run's clients. */
    private static final List<String> CUTTABLE = List.of(ChaosCluster.CHURN, "j1", "j2");
    /** How long a cut lasts beyond the moment the other side dropped the cut-off nodes. */
    private static final Duration CUT_HOLD = Duration.ofSeconds(2);
    /** From the heal until the cut-off nodes are back: a probe interval, a node restart, maybe a refused join or two. */
    private static final Duration REJOIN_BOUND = Duration.ofSeconds(60);

    private final Settings settings;
    private final Path dir;
    private final ChaosReport report = new ChaosReport();
    private final CheckpointNeverGoesBack checkpoints = new CheckpointNeverGoesBack();
    private final Oracle oracle;
    private final EventLogReader reader;
    private final Map<String, Map<String, Long>> expected = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> uncertain = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong();
    private final PrintWriter trace;
    private ChaosCluster cluster;

    ChaosRun(Settings settings, Path dir) throws IOException {
        this.settings = settings;
        this.dir = dir;
        Files.createDirectories(dir);
        oracle = new Oracle(ChaosHubs.REPLICATED, ChaosCheckpoints.ENABLED ? checkpoints : null);
        reader = new EventLogReader(dir);
        trace = new PrintWriter(Files.newBufferedWriter(dir.resolve("trace.log"), StandardCharsets.UTF_8,
            StandardOpenOption.CREATE, StandardOpenOption.APPEND), true);
        for (String h : HUBS) {
            expected.put(h, new ConcurrentHashMap<>());
            uncertain.put(h, ConcurrentHashMap.newKeySet());
        }
    }

    ChaosReport run() throws Exception {
        ChaosEvents.open(dir.resolve("test-" + ProcessHandle.current().pid() + ".events"), "test-" + ProcessHandle.current().pid());
        ScheduledExecutorService checker = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "chaos-checker"));
        ExecutorService faulter = Executors.newSingleThreadExecutor(r -> new Thread(r, "chaos-faults"));
        cluster = new ChaosCluster(dir, oracle);
        try {
            cluster.startAll();
            trace("cluster up: " + cluster.upNodes());
            checker.scheduleWithFixedDelay(this::checkSafely, 500, 500, TimeUnit.MILLISECONDS);
            Random ops = new Random(settings.seed());
            Random faults = new Random(settings.seed() * 31 + 7);
            long deadline = System.nanoTime() + settings.length().toNanos();
            while (System.nanoTime() < deadline) {
                long phaseEnd = Math.min(deadline, System.nanoTime() + settings.phase().toNanos());
                Future<?> f = faulter.submit(() -> faultLoop(faults, phaseEnd));
                while (System.nanoTime() < phaseEnd)
                    operation(ops);
                f.get();
                quietPoint();
            }
            checkSafely();
        }
        finally {
            checker.shutdownNow();
            faulter.shutdownNow();
            checker.awaitTermination(10, TimeUnit.SECONDS);
            cluster.close();
            ChaosEvents.close();
            trace.close();
        }
        return report;
    }

    // ---- operations ----

    private void operation(Random rnd) throws InterruptedException {
        List<String> clients = cluster.clients();
        String client = clients.get(rnd.nextInt(clients.size()));
        String hubId = HUBS.get(rnd.nextInt(HUBS.size()));
        List<String> known = new ArrayList<>(new TreeSet<>(expected.get(hubId).keySet()));
        int r = rnd.nextInt(100);
        String pick = known.isEmpty() ? null : known.get(rnd.nextInt(known.size()));
        int batch = 1 + rnd.nextInt(3);
        Thread.sleep(20 + rnd.nextInt(60)); // the run's pace, not a wait for the cluster
        try {
            ProcessHub hub = cluster.hub(client, hubId);
            if (pick == null || (r < 30 && known.size() < settings.maxChildrenPerHub()))
                start(hub, hubId, batch);
            else if (r < 40 || known.size() >= settings.maxChildrenPerHub())
                stop(hub, hubId, pick);
            else if (r < 80)
                call(hub, pick);
            else {
                hub.cast(pick, "inc");
                report.operation("cast");
            }
        }
        catch (RuntimeException e) {
            // The client node is stopping or gone (c left): the operation was not issued.
            report.operation("not issued: " + e.getClass().getSimpleName());
        }
    }

    private void start(ProcessHub hub, String hubId, int batch) {
        List<ChildSpec> specs = new ArrayList<>();
        long issued = ChaosEvents.nowMicros();
        for (int i = 0; i < batch; i++) {
            String id = (hubId.equals(ChaosHubs.SINGLE) ? "one-" : "ap-") + nextId.incrementAndGet();
            specs.add(ChildSpec.of(id, ChaosChild.class));
            uncertain.get(hubId).add(id);
        }
        trace("start " + hubId + " " + specs.stream().map(ChildSpec::id).toList());
        try {
            StartResult res = hub.startChildren(specs, StartOptions.defaults()).get(30, TimeUnit.SECONDS);
            for (ChildSpec s : specs) {
                boolean ok = res.ref(s.id()).isPresent()
                    || res.error(s.id()).map(e -> e.reason() == ChildError.Reason.ALREADY_STARTED).orElse(false);
                if (ok) {
                    expected.get(hubId).put(s.id(), issued);
                    uncertain.get(hubId).remove(s.id());
                }
                report.operation(ok ? "start ok" : "start failed: " + res.error(s.id()).map(e -> e.reason().name()).orElse("?"));
            }
            if (!res.isOk())
                trace("start result " + res);
        }
        catch (Exception e) {
            report.operation("start failed: " + e.getClass().getSimpleName());
            trace("start failed " + e);
        }
    }

    private void stop(ProcessHub hub, String hubId, String id) {
        uncertain.get(hubId).add(id);
        expected.get(hubId).remove(id);
        trace("stop " + hubId + " " + id);
        boolean ok = stopped(hub, id);
        if (ok)
            uncertain.get(hubId).remove(id);
        report.operation(ok ? "stop ok" : "stop failed");
    }

    /** Whether a stop of {@code id} took effect: it stopped, or was not there. */
    private boolean stopped(ProcessHub hub, String id) {
        try {
            StopResult res = hub.stopChild(id).get(30, TimeUnit.SECONDS);
            boolean ok = res.errors().stream().allMatch(e -> e.reason() == ChildError.Reason.NOT_FOUND);
            if (!ok)
                trace("stop result " + res);
            return ok;
        }
        catch (Exception e) {
            trace("stop failed " + id + " " + e);
            return false;
        }
    }

    private void call(ProcessHub hub, String id) {
        try {
            hub.call(id, "inc", Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
            report.operation("call ok");
        }
        catch (Exception e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            report.operation("call failed: " + cause.getClass().getSimpleName());
        }
    }

    // ---- faults ----

    private void faultLoop(Random rnd, long phaseEnd) {
        try {
            while (System.nanoTime() < phaseEnd - 3_000_000_000L) {
                Thread.sleep(2_000 + rnd.nextInt(4_000)); // time between faults, part of the script
                fault(rnd);
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        catch (Exception e) {
            report.violation("fault-error-" + System.nanoTime(), "a fault could not be injected: " + e);
            trace("fault error " + e);
        }
    }

    private void fault(Random rnd) throws Exception {
        Set<String> up = cluster.upNodes();
        boolean canLose = up.size() > MIN_NODES;
        // kind -> nodes it can hit now; a kind is drawn first, then a node, so every kind comes up as often.
        Map<String, List<String>> choices = new java.util.TreeMap<>();
        for (String j : ChaosCluster.JVMS) {
            if (up.contains(j)) {
                if (canLose)
                    for (String kind : List.of("pause below detection", "kill -9", "pause above detection", "leave (JVM)"))
                        choices.computeIfAbsent(kind, k -> new ArrayList<>()).add(j);
            }
            else
                choices.computeIfAbsent("join (restarted JVM)", k -> new ArrayList<>()).add(j);
        }
        if (!up.contains(ChaosCluster.CHURN))
            choices.put("join (in-JVM)", List.of(ChaosCluster.CHURN));
        else if (canLose)
            choices.put("leave (in-JVM)", List.of(ChaosCluster.CHURN));
        List<String> cuttable = CUTTABLE.stream().filter(up::contains).toList();
        if (settings.cuts() && canLose)
            choices.put("network cut (one node)", cuttable);
        if (settings.cuts() && up.size() == ChaosHubs.NODES.size())
            for (int i = 0; i < cuttable.size(); i++)
                for (int k = i + 1; k < cuttable.size(); k++)
                    choices.computeIfAbsent("network cut (two nodes)", x -> new ArrayList<>()).add(cuttable.get(i) + "+" + cuttable.get(k));
        List<String> kinds = new ArrayList<>(choices.keySet());
        String kind = kinds.get(rnd.nextInt(kinds.size()));
        List<String> nodes = choices.get(kind);
        String[] c = {kind, nodes.get(rnd.nextInt(nodes.size()))};
        trace("fault " + c[0] + " " + c[1] + " (up: " + up + ")");
        switch (c[0]) {
            case "pause below detection" -> cluster.pause(c[1], Duration.ofMillis(SHORT_PAUSE_MS));
            case "pause above detection" -> cluster.pause(c[1], Duration.ofMillis(LONG_PAUSE_MS));
            case "kill -9" -> cluster.kill(c[1]);
            case "leave (JVM)" -> cluster.leaveJvm(c[1]);
            case "join (restarted JVM)" -> cluster.launch(c[1]);
            case "leave (in-JVM)" -> cluster.leaveInJvm();
            case "join (in-JVM)" -> cluster.joinInJvm();
            case "network cut (one node)", "network cut (two nodes)" -> cutAndRejoin(Set.of(c[1].split("\\+")));
            default -> throw new IllegalStateException(c[0]);
        }
        report.fault(c[0]);
        trace("fault done " + c[0] + " " + c[1]);
    }

    private void cutAndRejoin(Set<String> side) throws Exception {
        try {
            long ms = cluster.cutAndRejoin(side, CUT_HOLD, REJOIN_BOUND);
            report.rejoin(ms);
            trace("rejoined " + side + " " + ms + " ms after the heal");
        }
        catch (ConditionTimeoutException e) {
            report.violation("no rejoin " + side + "@" + ChaosEvents.nowMicros(), side + " cut off: not dropped, or not back "
                + REJOIN_BOUND.toSeconds() + " s after the heal (" + e.getMessage() + ")");
            trace("no rejoin " + side + ": " + e.getMessage());
        }
    }

    // ---- checks ----

    private void checkSafely() {
        try {
            check();
        }
        catch (Throwable t) {
            report.violation("checker-" + t, "the checker failed: " + t);
            trace("checker failed " + t);
        }
    }

    /** The continuous checks: windows of double life, lost children, the clock, checkpoints. */
    private synchronized void check() throws IOException {
        for (Event e : reader.poll())
            oracle.accept(e);
        long now = ChaosEvents.nowMicros();
        for (Oracle.Window w : oracle.windows(now)) {
            boolean replicated = ChaosHubs.REPLICATED.contains(w.hub());
            report.window(w, replicated);
            if (w.micros() > settings.doubleLiveBound().toNanos() / 1000)
                report.violation(w.hub() + "/" + w.child() + "@" + w.from(), w.what() + " longer than " + settings.doubleLiveBound().toMillis()
                    + " ms: " + w.describe());
        }
        for (String hubId : HUBS)
            for (Map.Entry<String, Long> e : expected.get(hubId).entrySet()) {
                if (!oracle.live(hubId, e.getKey()).isEmpty())
                    continue;
                long since = Math.max(e.getValue(), oracle.absentSince(hubId, e.getKey()));
                if (now - since > settings.lostBound().toNanos() / 1000)
                    report.violation("lost " + hubId + "/" + e.getKey() + "@" + since, hubId + "/" + e.getKey() + " has run nowhere for more than "
                        + settings.lostBound().toMillis() + " ms (since " + since + ")");
            }
        for (String p : oracle.clockProblems())
            report.violation(p, p);
        for (String p : checkpoints.violations())
            report.violation(p, "checkpointed state went back: " + p);
        report.staleRestores(checkpoints.staleRestores());
        report.events(oracle.events(), checkpoints.checkpoints());
    }

    private void quietPoint() {
        long t0 = System.nanoTime();
        trace("quiet point: resolving " + uncertain);
        for (String hubId : HUBS)
            for (String id : new ArrayList<>(uncertain.get(hubId)))
                try {
                    Awaitility.await().atMost(settings.settleTimeout()).pollInterval(Duration.ofMillis(500))
                        .until(() -> stopped(cluster.hub("a", hubId), id));
                    uncertain.get(hubId).remove(id);
                }
                catch (ConditionTimeoutException e) {
                    report.violation("unstoppable " + hubId + "/" + id, hubId + "/" + id + " could not be stopped at a quiet point");
                }
        List<String> last = new ArrayList<>();
        try {
            long[] traced = {t0};
            Awaitility.await().atMost(settings.settleTimeout()).pollInterval(Duration.ofMillis(500)).until(() -> {
                last.clear();
                last.addAll(settledProblems());
                if (!last.isEmpty() && System.nanoTime() - traced[0] > 10_000_000_000L) {
                    traced[0] = System.nanoTime();
                    trace("not settled yet: " + last.subList(0, Math.min(5, last.size())));
                }
                return last.isEmpty();
            });
            long ms = (System.nanoTime() - t0) / 1_000_000;
            report.quietPoint(ms);
            trace("quiet point settled after " + ms + " ms on " + cluster.upNodes() + ", expected "
                + expected.get(ChaosHubs.SINGLE).size() + " + " + expected.get(ChaosHubs.ACTIVE_PASSIVE).size());
        }
        catch (ConditionTimeoutException e) {
            report.quietPoint((System.nanoTime() - t0) / 1_000_000);
            report.violation("unsettled-" + t0, "not settled " + settings.settleTimeout().toSeconds() + " s after a quiet point began: "
                + last.subList(0, Math.min(10, last.size())) + (last.size() > 10 ? " and " + (last.size() - 10) + " more" : ""));
        }
    }

    /**
     * What keeps the cluster from being settled: the members as {@code a} sees them are not the nodes that run, a child
     * is lost, live twice, has the wrong replicas or two ACTIVE ones (by the oracle), or a node's registry copy differs
     * from what the oracle says runs.
     */
    private List<String> settledProblems() throws IOException {
        check();
        List<String> problems = new ArrayList<>();
        Set<String> up = cluster.upNodes();
        for (String hubId : HUBS) {
            List<String> members;
            try {
                members = cluster.members(hubId);
            }
            catch (RuntimeException e) {
                problems.add("members of " + hubId + " not readable on a: " + e);
                continue;
            }
            if (!new TreeSet<>(members).equals(up)) {
                problems.add(hubId + " members as a sees them " + members + ", running nodes " + up);
                continue;
            }
            Set<String> want = expected.get(hubId).keySet();
            problems.addAll(oracle.settledProblems(hubId, want, uncertain.get(hubId), up, ChaosHubs.COPIES));
            for (String node : up) {
                Map<String, List<ChildRef>> registry;
                try {
                    registry = cluster.registry(node, hubId);
                }
                catch (RuntimeException e) {
                    problems.add("registry of " + hubId + " on " + node + " not readable: " + e);
                    continue;
                }
                Set<String> ids = new TreeSet<>(want);
                ids.addAll(registry.keySet());
                ids.addAll(oracle.liveChildren(hubId));
                boolean replicated = ChaosHubs.REPLICATED.contains(hubId);
                for (String id : ids) {
                    Set<String> listed = new TreeSet<>();
                    for (ChildRef r : registry.getOrDefault(id, List.of()))
                        listed.add(r.node() + "#" + r.incarnation() + (replicated ? "#" + r.role() : ""));
                    Set<String> runs = oracle.liveRefs(hubId, id);
                    if (!listed.equals(runs) || (registry.containsKey(id) != want.contains(id)))
                        problems.add(node + "'s registry of " + hubId + " lists " + id + (registry.containsKey(id) ? " as " + listed : " not at all")
                            + ", runs " + runs + (want.contains(id) ? "" : STOPPED_BUT_LISTED));
                }
            }
        }
        return problems;
    }

    private void trace(String line) {
        synchronized (trace) {
            trace.println(ChaosEvents.nowMicros() + " " + line);
        }
    }
}
