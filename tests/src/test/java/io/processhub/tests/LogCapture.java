package io.processhub.tests;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * Records the log events of this JVM (every logger that reaches the root, Ignite's included) from {@link #record}
 * to {@link #close}, so a test can assert what an operator would have seen in the log.
 */
final class LogCapture extends AbstractAppender implements AutoCloseable {
    /** One recorded event: level, logger, thread, message and the throwable's text. */
    static final class Line {
        final Level level;
        final String logger;
        final String thread;
        final String message;
        final String thrown;

        Line(LogEvent e) {
            level = e.getLevel();
            logger = e.getLoggerName();
            thread = e.getThreadName();
            message = e.getMessage().getFormattedMessage();
            Throwable t = e.getThrown();
            StringBuilder sb = new StringBuilder();
            for (Throwable c = t; c != null && sb.length() < 2_000; c = c.getCause() == c ? null : c.getCause())
                sb.append(c).append(" | ");
            thrown = sb.toString();
        }

        boolean mentions(String text) {
            return message.contains(text) || thrown.contains(text);
        }

        @Override
        public String toString() {
            return level + " [" + thread + "] " + logger + " - " + message + (thrown.isEmpty() ? "" : " <- " + thrown);
        }
    }

    private final ConcurrentLinkedQueue<Line> lines = new ConcurrentLinkedQueue<>();

    private LogCapture() {
        super("capture-" + System.nanoTime(), null, null, true, Property.EMPTY_ARRAY);
    }

    /** Starts recording every event at WARN or above that the configuration lets through. */
    static LogCapture record() {
        LogCapture c = new LogCapture();
        c.start();
        LoggerContext ctx = (LoggerContext)LogManager.getContext(false);
        Configuration cfg = ctx.getConfiguration();
        cfg.addAppender(c);
        cfg.getRootLogger().addAppender(c, Level.WARN, null);
        for (LoggerConfig lc : cfg.getLoggers().values())
            if (lc != cfg.getRootLogger() && !lc.isAdditive())
                lc.addAppender(c, Level.WARN, null);
        ctx.updateLoggers();
        return c;
    }

    @Override
    public void append(LogEvent event) {
        lines.add(new Line(event));
    }

    List<Line> lines() {
        return new ArrayList<>(lines);
    }

    @Override
    public void close() {
        LoggerContext ctx = (LoggerContext)LogManager.getContext(false);
        Configuration cfg = ctx.getConfiguration();
        for (LoggerConfig lc : cfg.getLoggers().values())
            lc.removeAppender(getName());
        cfg.getRootLogger().removeAppender(getName());
        ctx.updateLoggers();
        stop();
    }
}
