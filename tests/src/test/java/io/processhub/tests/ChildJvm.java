package io.processhub.tests;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link NodeMain} node in a child JVM: same java binary, classpath and JVM flags (the --add-opens) as
 * this JVM, output in a file under {@code target/child-jvm/}. Close it (or kill it) in a finally block.
 */
public final class ChildJvm implements AutoCloseable {
    private static final AtomicInteger LAUNCHES = new AtomicInteger();

    private final String name;
    private final Process process;
    private final Path log;
    private volatile UUID nodeId;

    private ChildJvm(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Launches {@code NodeMain name portBase hubs...}; does not wait for the node. */
    static ChildJvm launch(String name, int portBase, String... hubs) throws IOException {
        List<String> args = new ArrayList<>();
        args.add(String.valueOf(portBase));
        args.addAll(List.of(hubs));
        return launch(NodeMain.class, name, args);
    }

    /** Launches {@code mainClass name args...}, a main that prints {@link NodeMain#READY}; does not wait for the node. */
    public static ChildJvm launch(Class<?> mainClass, String name, List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments())
            if (!isDebugOrAgent(arg))
                cmd.add(arg);
        cmd.add("-Xmx768m");
        // A short-lived test node: C1 only starts faster and leaves the CPUs to the test JVM.
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass.getName());
        cmd.add(name);
        cmd.addAll(args);
        Path dir = Path.of("target", "child-jvm");
        Files.createDirectories(dir);
        Path log = dir.resolve(name + "-" + ProcessHandle.current().pid() + "-" + LAUNCHES.incrementAndGet() + ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        // stdin stays a pipe: if this JVM dies, the child reads end of input and stops.
        return new ChildJvm(name, p, log);
    }

    private static boolean isDebugOrAgent(String arg) {
        return arg.startsWith("-agentlib") || arg.startsWith("-agentpath") || arg.startsWith("-javaagent")
            || arg.startsWith("-Xdebug") || arg.startsWith("-Xrunjdwp");
    }

    /** Waits until the node printed its ready line; fails at once if the JVM died. */
    public ChildJvm awaitReady(Duration atMost) {
        TestCluster.await().atMost(atMost).until(() -> {
            String out = output();
            if (!process.isAlive())
                throw new IllegalStateException("child JVM " + name + " exited with " + process.exitValue() + ":\n" + out);
            int i = out.indexOf(NodeMain.READY + " ");
            if (i < 0)
                return false;
            int start = i + NodeMain.READY.length() + 1;
            int end = out.indexOf('\n', start);
            if (end < 0)
                return false;
            nodeId = UUID.fromString(out.substring(start, end).trim());
            return true;
        });
        return this;
    }

    public String output() throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    public String name() {
        return name;
    }

    public UUID nodeId() {
        return nodeId;
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    /** kill -9: no shutdown hook, no goodbye to the cluster. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS))
            throw new IllegalStateException("child JVM " + name + " (pid " + process.pid() + ") survived kill -9");
    }

    /** Closes the node's stdin: a {@link NodeMain} leaves the cluster gracefully and exits. */
    public void leave() throws IOException {
        process.getOutputStream().close();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        if (!process.isAlive())
            return;
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
