package io.processhub.tests.chaos;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Tails every JVM's event log of a run (the {@code *.events} files of one directory): complete lines only. */
final class EventLogReader {
    private final Path dir;
    private final Map<Path, Long> offsets = new HashMap<>();

    EventLogReader(Path dir) {
        this.dir = dir;
    }

    /** The events appended since the last call, over all files, in timestamp order. */
    synchronized List<Event> poll() throws IOException {
        List<Event> res = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.events")) {
            for (Path f : files)
                readNew(f, res);
        }
        res.sort(Comparator.comparingLong(Event::micros));
        return res;
    }

    private void readNew(Path f, List<Event> into) throws IOException {
        long from = offsets.getOrDefault(f, 0L);
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "r")) {
            long len = raf.length();
            if (len <= from)
                return;
            byte[] buf = new byte[(int)(len - from)];
            raf.seek(from);
            raf.readFully(buf);
            int lastNl = -1;
            for (int i = buf.length - 1; i >= 0; i--)
                if (buf[i] == '\n') {
                    lastNl = i;
                    break;
                }
            if (lastNl < 0)
                return;
            String text = new String(buf, 0, lastNl, StandardCharsets.UTF_8);
            for (String line : text.split("\n"))
                if (!line.isEmpty())
                    into.add(Event.parse(line));
            offsets.put(f, from + lastNl + 1);
        }
    }
}
