package io.processhub.tests.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * This JVM's append-only log of what chaos children did: one file per JVM, one flushed line per event, so the test
 * JVM can read it while the run goes on and after a {@code kill -9} (a line is in the kernel's page cache once
 * {@code flush} returns; the process's death does not take it back).
 *
 * <p>Timestamps are {@link #nowMicros()}: CLOCK_REALTIME in microseconds. Every JVM of the run is on this machine and
 * reads the same kernel clock, so timestamps of different files are comparable to within the time it takes to
 * format and write one line (a few microseconds; the oracle rounds nothing). A step of the system clock during a run
 * would break that; {@link Oracle} reports a timestamp that goes backwards within one file as a violation.
 */
public final class ChaosEvents {
    private static final AtomicLong INSTANCES = new AtomicLong();
    private static volatile Writer out;
    private static volatile String jvm;

    private ChaosEvents() {
    }

    /** Opens this JVM's log; {@code jvmTag} names the JVM in every line (unique within a run). */
    public static synchronized void open(Path file, String jvmTag) {
        try {
            Files.createDirectories(file.getParent());
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            jvm = jvmTag;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static synchronized void close() throws IOException {
        if (out != null)
            out.close();
        out = null;
    }

    /** A new instance id, unique within the run: this JVM's tag and a sequence number. */
    static String newInstance() {
        return requireOpen() + ":" + INSTANCES.incrementAndGet();
    }

    public static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    /**
     * Appends one event, stamped now, and flushes it. The time is taken under the lock, so the lines of one file are in
     * time order (a stamp taken before waiting for the lock would put a later line before an earlier one).
     */
    static synchronized void write(String instance, String hub, String child, String node, long incarnation, Event.Kind kind,
        String detail, long value) {
        requireOpen();
        Event e = new Event(nowMicros(), instance, hub, child, node, incarnation, kind, detail, value);
        try {
            out.write(e.toLine());
            out.write('\n');
            out.flush();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static String requireOpen() {
        String tag = jvm;
        if (tag == null)
            throw new IllegalStateException("ChaosEvents.open was not called in this JVM");
        return tag;
    }
}
