package io.processhub.tests.install;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server node in a JVM of its own, started with the command line {@code bin/ignite.sh} builds on JDK 17:
 * {@code java $JVM_OPTS <jvmdefaults.sh flags> -DIGNITE_QUIET=true -DIGNITE_UPDATE_NOTIFIER=false
 * -DIGNITE_HOME=... -DIGNITE_PROG_NAME=... <-J options> -cp $IGNITE_LIBS
 * org.apache.ignite.startup.cmdline.CommandLineStartup <config>}, run in the installation folder. Output goes to
 * {@code <home>/<name>.log}.
 */
final class IgniteShNode implements AutoCloseable {
    /** ignite.sh's JVM_OPTS, as an operator sets it for small nodes (its default is -Xms1g -Xmx1g -server). */
    private static final List<String> JVM_OPTS = List.of("-Xms256m", "-Xmx512m", "-server", "-XX:MaxMetaspaceSize=256m",
        "-XX:TieredStopAtLevel=1");

    private final String name;
    private final Process process;
    private final Path log;

    private IgniteShNode(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code ignite.sh -J-Dprocesshub.node=<name> <config>} in {@code home}; does not wait for the node.
     *
     * @param config the configuration path as given to ignite.sh (relative paths resolve against IGNITE_HOME).
     */
    static IgniteShNode start(ScratchIgniteHome home, String name, String config) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(JVM_OPTS);
        cmd.add("-ea"); // ignite.sh: ENABLE_ASSERTIONS=1
        cmd.addAll(addOpensOfThisJvm()); // jvmdefaults.sh's 24 flags for Java >= 15, which ignite.sh adds itself
        cmd.add("-DIGNITE_QUIET=true");
        cmd.add("-DIGNITE_UPDATE_NOTIFIER=false");
        cmd.add("-DIGNITE_HOME=" + home.home().toAbsolutePath());
        cmd.add("-DIGNITE_PROG_NAME=bin/ignite.sh");
        cmd.add("-Djava.net.preferIPv4Stack=true"); // -J option: loopback-only test machine
        cmd.add("-Dprocesshub.node=" + name);         // -J option: the node's name, read by the sample XML
        cmd.add("-cp");
        cmd.add(home.classpath());
        cmd.add("org.apache.ignite.startup.cmdline.CommandLineStartup");
        cmd.add(config);
        Path log = home.home().resolve(name + ".log");
        Process p = new ProcessBuilder(cmd).directory(home.home().toFile()).redirectErrorStream(true)
            .redirectOutput(log.toFile()).start();
        return new IgniteShNode(name, p, log);
    }

    /** The --add-opens flags of this JVM (surefire's argLine holds exactly jvmdefaults.sh's list). */
    private static List<String> addOpensOfThisJvm() {
        List<String> res = new ArrayList<>();
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments())
            if (arg.startsWith("--add-opens"))
                res.add(arg);
        if (res.size() < 24)
            throw new IllegalStateException("expected the 24 --add-opens flags of jvmdefaults.sh on this JVM, found " + res);
        return res;
    }

    String name() {
        return name;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String output() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** kill -9: no shutdown hook, no goodbye to the cluster. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS))
            throw new IllegalStateException("node " + name + " (pid " + process.pid() + ") survived kill -9");
    }

    /** Ctrl-C / kill: the JVM's shutdown hook stops the node as CommandLineStartup arranged. */
    @Override
    public void close() throws InterruptedException {
        if (!process.isAlive())
            return;
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
