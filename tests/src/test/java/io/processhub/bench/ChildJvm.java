package io.processhub.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link BenchNode} in a JVM of its own: the same java binary, class path and JVM flags as this JVM (a smaller heap).
 * Its output goes to a log file; its {@code @@} replies answer {@link #ask}.
 */
final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final Writer stdin;
    private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
    private final Path log;

    ChildJvm(String name, int port, String hubId, String mode, Path logDir) throws Exception {
        String java = ProcessHandle.current().info().command()
            .orElse(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments())
            if (!a.startsWith("-Xmx") && !a.startsWith("-Xms") && !a.startsWith("-agentlib") && !a.startsWith("-XX:StartFlightRecording"))
                cmd.add(a);
        cmd.add("-Xmx1g");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(BenchNode.class.getName());
        cmd.add(name);
        cmd.add(String.valueOf(port));
        cmd.add(hubId);
        cmd.add(mode);
        Files.createDirectories(logDir);
        log = logDir.resolve("bench-node-" + name + ".log");
        process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(this::pump, "bench-" + name + "-output");
        reader.setDaemon(true);
        reader.start();
        String ready = replies.poll(120, TimeUnit.SECONDS);
        if (ready == null || !ready.startsWith("READY"))
            throw new IllegalStateException("node " + name + " in its own JVM did not start (" + ready + "); see " + log);
    }

    private void pump() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                out.println(line);
                out.flush();
                if (line.startsWith("@@ "))
                    replies.add(line.substring(3));
            }
        }
        catch (IOException ignored) {
            // The process went away.
        }
    }

    /** Sends a command and returns the reply. */
    String ask(String command, int timeoutSeconds) throws Exception {
        stdin.write(command + "\n");
        stdin.flush();
        String r = replies.poll(timeoutSeconds, TimeUnit.SECONDS);
        if (r == null || r.startsWith("ERROR"))
            throw new IllegalStateException("node in its own JVM: '" + command + "' -> " + r + "; see " + log);
        return r;
    }

    /** kill -9. */
    void kill() {
        process.destroyForcibly();
    }

    boolean waitFor(int seconds) throws InterruptedException {
        return process.waitFor(seconds, TimeUnit.SECONDS);
    }

    /** Stops the node cleanly (its stdin closes), or kills it after 30 s. */
    @Override
    public void close() {
        try {
            stdin.close();
            if (!process.waitFor(30, TimeUnit.SECONDS))
                process.destroyForcibly();
        }
        catch (IOException | InterruptedException e) {
            process.destroyForcibly();
        }
    }
}
