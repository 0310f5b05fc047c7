package io.processhub.tests.install;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A stand-in for an Ignite 2.17 binary installation: {@code libs/} holds the jars a stock installation has there
 * (taken from this JVM's Maven classpath, linked, not copied), {@code libs/ignite-log4j2/} the content of
 * {@code libs/optional/ignite-log4j2} enabled as the README says, and the ProcessHub distribution zip is unpacked
 * into {@code libs/} exactly as an operator does. {@link #classpath()} is what ignite.sh's
 * {@code bin/include/setenv.sh} builds from it.
 */
final class ScratchIgniteHome {
    /** File names of the jars a stock 2.17 installation has in libs/ (core and the JCache API)... */
    private static final Pattern STOCK_LIBS = Pattern.compile("(ignite-core|cache-api|annotations)-[0-9.]+\\.jar");
    /** ... in libs/ignite-spring/ (XML configuration) ... */
    private static final Pattern STOCK_SPRING = Pattern.compile("(ignite-spring|spring-[a-z]+|commons-logging)-[0-9.]+\\.jar");
    /** ... and in libs/optional/ignite-log4j2/. */
    private static final Pattern OPTIONAL_LOG4J2 = Pattern.compile("(ignite-log4j2|log4j-api|log4j-core)-[0-9.]+\\.jar");

    private final Path home;

    private ScratchIgniteHome(Path home) {
        this.home = home;
    }

    /** A fresh installation under {@code dir} (emptied first) with the distribution unpacked into its libs/. */
    static ScratchIgniteHome create(Path dir) throws IOException {
        deleteRecursively(dir);
        Path libs = Files.createDirectories(dir.toAbsolutePath().resolve("libs"));
        Map<Pattern, Path> folders = Map.of(STOCK_LIBS, libs, STOCK_SPRING, libs.resolve("ignite-spring"),
            OPTIONAL_LOG4J2, libs.resolve("ignite-log4j2"));
        for (Path jar : classpathEntries()) {
            for (Map.Entry<Pattern, Path> f : folders.entrySet()) {
                if (f.getKey().matcher(jar.getFileName().toString()).matches())
                    Files.createSymbolicLink(Files.createDirectories(f.getValue()).resolve(jar.getFileName()), jar.toAbsolutePath());
            }
        }
        unzip(distributionZip(), libs);
        return new ScratchIgniteHome(dir.toAbsolutePath());
    }

    /** The distribution zip, built by the examples module before its tests (the reactor builds it before this module). */
    static Path distributionZip() {
        String zip = System.getProperty("processhub.distribution.zip");
        if (zip == null || !Files.isRegularFile(Path.of(zip)))
            throw new IllegalStateException("no distribution zip at " + zip + ": build it with the reactor (mvn test)");
        return Path.of(zip);
    }

    /** Names of the entries of the distribution zip, sorted (directories end with '/'). */
    static TreeSet<String> distributionEntries() throws IOException {
        TreeSet<String> names = new TreeSet<>();
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(distributionZip()))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; )
                names.add(e.getName());
        }
        return names;
    }

    Path home() {
        return home;
    }

    Path libs() {
        return home.resolve("libs");
    }

    /** What setenv.sh puts into IGNITE_LIBS: libs/* and libs/<folder>/* for every folder but libs/optional. */
    String classpath() throws IOException {
        List<String> parts = new ArrayList<>();
        parts.add(libs().resolve("*").toString());
        try (Stream<Path> dirs = Files.list(libs())) {
            dirs.filter(Files::isDirectory).filter(d -> !d.getFileName().toString().equals("optional")).sorted()
                .forEach(d -> parts.add(d.resolve("*").toString()));
        }
        return String.join(java.io.File.pathSeparator, parts);
    }

    /** Rewrites a text file of the installation (an operator editing the sample configuration). */
    void edit(String relativePath, Map<String, String> replacements) throws IOException {
        Path file = home.resolve(relativePath);
        String text = Files.readString(file, StandardCharsets.UTF_8);
        for (Map.Entry<String, String> r : replacements.entrySet()) {
            if (!text.contains(r.getKey()))
                throw new IllegalStateException(relativePath + " no longer contains " + r.getKey());
            text = text.replace(r.getKey(), r.getValue());
        }
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    private static List<Path> classpathEntries() {
        List<Path> res = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator))
            if (!e.isEmpty())
                res.add(Path.of(e));
        return res;
    }

    private static void unzip(Path zipFile, Path target) throws IOException {
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(zipFile))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                Path out = target.resolve(e.getName()).normalize();
                if (!out.startsWith(target))
                    throw new IOException("zip entry outside the target folder: " + e.getName());
                if (e.isDirectory())
                    Files.createDirectories(out);
                else {
                    Files.createDirectories(out.getParent());
                    Files.copy((InputStream)zip, out, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir))
            return;
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList())
                Files.delete(p);
        }
    }
}
