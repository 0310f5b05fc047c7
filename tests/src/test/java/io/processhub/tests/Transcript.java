package io.processhub.tests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

/**
 * What an operator would see: the commands a test runs against its cluster and their real output, appended to a
 * file under {@code target/} (the README's "Inspecting" examples are trimmed from it). Writes only; asserts nothing.
 */
final class Transcript {
    private final Path file;

    /** A fresh transcript in {@code target/<name>.txt}. */
    Transcript(String name) {
        file = Path.of("target", name + ".txt");
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void command(String command, List<String> output) {
        append("$ " + command + "\n" + String.join("\n", output) + "\n\n");
    }

    void sql(String sql, List<Map<String, Object>> rows) {
        StringBuilder sb = new StringBuilder("> ").append(sql).append('\n');
        for (Map<String, Object> r : rows)
            sb.append(r).append('\n');
        append(sb.append('\n').toString());
    }

    private synchronized void append(String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
