package io.processhub.tests;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the directions between the parts of the code, read from the sources' import lines (and, for the
 * Ignite-free parts, from any fully qualified name): what each rule forbids is listed when it breaks.
 */
class ArchitectureTest {
    /** Surefire runs in the tests module's folder; the other modules are its siblings. */
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path PLUGIN = ROOT.resolve("plugin/src/main/java");
    private static final Path STRATEGIES = ROOT.resolve("strategies/src/main/java");
    private static final String IGNITE_PKG = "io/processhub/ignite/";

    @Test
    void strategiesImportNoIgnite() {
        assertNone(references(STRATEGIES, "", "org.apache.ignite."), "strategies/ must be plain Java (no Ignite)");
    }

    @Test
    void supervisionImportsNeitherRegistryNorTransport() {
        List<String> found = imports(PLUGIN, IGNITE_PKG + "supervision", "io.processhub.ignite.registry.");
        found.addAll(imports(PLUGIN, IGNITE_PKG + "supervision", "io.processhub.ignite.transport."));
        assertNone(found, "supervision runs local children only: it neither writes the registry nor sends messages");
    }

    @Test
    void onlyTheRegistryAndTheCheckpointsTouchIgniteCache() {
        List<String> found = new ArrayList<>();
        for (Path file : javaFiles(PLUGIN, ""))
            if (!relative(PLUGIN, file).startsWith(IGNITE_PKG + "registry/")
                && !relative(PLUGIN, file).startsWith(IGNITE_PKG + "checkpoint/")
                && Pattern.compile("\\bIgniteCache\\b").matcher(read(file)).find())
                found.add(relative(PLUGIN, file));
        assertNone(found, "only io.processhub.ignite.registry and io.processhub.ignite.checkpoint may use IgniteCache");
    }

    @Test
    void reconcileDecisionsArePure() {
        List<String> found = new ArrayList<>();
        for (Path file : javaFiles(PLUGIN, IGNITE_PKG + "reconcile"))
            if (file.getFileName().toString().startsWith("Decide") || file.getFileName().toString().startsWith("ChildFacts")
                || file.getFileName().toString().startsWith("Decision"))
                found.addAll(references(file, "org.apache.ignite."));
        assertNone(found, "the reconcile decision is a pure function of plain facts");
    }

    @Test
    void theRulesSeeTheSources() {
        // A rule over no files cannot fail: make sure the paths above point at the real sources.
        assertTrue(javaFiles(PLUGIN, IGNITE_PKG + "supervision").size() >= 3, "supervision sources not found under " + PLUGIN);
        assertTrue(javaFiles(STRATEGIES, "").size() >= 10, "strategy sources not found under " + STRATEGIES);
        assertFalse(imports(PLUGIN, IGNITE_PKG + "registry", "org.apache.ignite.IgniteCache").isEmpty(),
            "the registry itself is seen to use IgniteCache");
        assertFalse(javaFiles(PLUGIN, IGNITE_PKG + "reconcile").stream()
            .noneMatch(f -> f.getFileName().toString().equals("Decide.java")), "the reconcile decision is seen");
    }

    private static void assertNone(List<String> violations, String rule) {
        assertTrue(violations.isEmpty(), rule + "; violations:\n  " + String.join("\n  ", violations));
    }

    /** "file: import line" for each import of {@code prefix} in the files under {@code dir}. */
    private static List<String> imports(Path src, String dir, String prefix) {
        Pattern p = Pattern.compile("^import\\s+(static\\s+)?" + Pattern.quote(prefix) + ".*$", Pattern.MULTILINE);
        List<String> res = new ArrayList<>();
        for (Path file : javaFiles(src, dir)) {
            Matcher m = p.matcher(read(file));
            while (m.find())
                res.add(relative(src, file) + ": " + m.group());
        }
        return res;
    }

    /** Any mention of {@code prefix} (an import or a fully qualified name) in the files under {@code dir}. */
    private static List<String> references(Path src, String dir, String prefix) {
        List<String> res = new ArrayList<>();
        for (Path file : javaFiles(src, dir))
            for (String r : references(file, prefix))
                res.add(relative(src, file) + ": " + r);
        return res;
    }

    private static List<String> references(Path file, String prefix) {
        List<String> res = new ArrayList<>();
        Matcher m = Pattern.compile(Pattern.quote(prefix) + "[\\w.]*").matcher(read(file));
        while (m.find())
            res.add(file.getFileName() + ": " + m.group());
        return res;
    }

    private static List<Path> javaFiles(Path src, String dir) {
        Path base = dir.isEmpty() ? src : src.resolve(dir);
        if (!Files.isDirectory(base))
            return List.of();
        try (Stream<Path> files = Files.walk(base)) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String relative(Path src, Path file) {
        return src.relativize(file).toString().replace('\\', '/');
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
