package io.processhub.tests;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.ignite.IgniteLogger;
import org.apache.ignite.internal.commandline.CommandHandler;

/**
 * Runs {@code control.sh} (its {@link CommandHandler}, from ignite-control-utility) in this JVM against a node's
 * thin-client port, capturing what it prints.
 */
final class ControlUtility {
    /** What one run printed and its exit code. */
    static final class Run {
        final int exitCode;
        final List<String> lines;

        Run(int exitCode, List<String> lines) {
            this.exitCode = exitCode;
            this.lines = lines;
        }

        @Override
        public String toString() {
            return "exit code " + exitCode + ":\n" + String.join("\n", lines);
        }
    }

    private ControlUtility() {
    }

    static Run run(int port, String... args) {
        List<String> argv = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", String.valueOf(port)));
        argv.addAll(Arrays.asList(args));
        CapturingLogger out = new CapturingLogger();
        int code = new CommandHandler(out).execute(argv);
        return new Run(code, out.lines());
    }

    /** Keeps every line the utility prints (its results go to {@code info}). */
    private static final class CapturingLogger implements IgniteLogger {
        private final List<String> lines = new ArrayList<>();

        synchronized List<String> lines() {
            List<String> res = new ArrayList<>();
            for (String l : lines)
                res.addAll(Arrays.asList(l.split("\\R")));
            return res;
        }

        private synchronized void add(String msg, Throwable e) {
            lines.add(e == null ? msg : msg + " " + e);
        }

        @Override
        public IgniteLogger getLogger(Object ctgr) {
            return this;
        }

        @Override
        public void trace(String msg) {
        }

        @Override
        public void debug(String msg) {
        }

        @Override
        public void info(String msg) {
            add(msg, null);
        }

        @Override
        public void warning(String msg, Throwable e) {
            add(msg, e);
        }

        @Override
        public void error(String msg, Throwable e) {
            add(msg, e);
        }

        @Override
        public boolean isTraceEnabled() {
            return false;
        }

        @Override
        public boolean isDebugEnabled() {
            return false;
        }

        @Override
        public boolean isInfoEnabled() {
            return true;
        }

        @Override
        public boolean isQuiet() {
            return false;
        }

        @Override
        public String fileName() {
            return null;
        }
    }
}
