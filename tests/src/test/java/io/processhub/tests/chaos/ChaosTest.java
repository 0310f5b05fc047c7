package io.processhub.tests.chaos;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The chaos run (see RELIABILITY.md). By default a short run with a fixed seed, part of {@code mvn test}. A long one:
 * {@code mvn -pl tests -am test -Dtest=ChaosTest -Dchaos.minutes=30} (a random seed, printed); replay a seed with
 * {@code -Dchaos.seed=...}.
 */
class ChaosTest {
    /** The seed of the short run in the suite. */
    private static final long SUITE_SEED = 20261129L;

    @Test
    void theInvariantsHoldUnderChaos() throws Exception {
        String minutesProp = System.getProperty("chaos.minutes");
        double minutes = minutesProp == null ? 1.5 : Double.parseDouble(minutesProp);
        String seedProp = System.getProperty("chaos.seed");
        long seed = seedProp != null ? Long.parseLong(seedProp) : minutesProp == null ? SUITE_SEED : ThreadLocalRandom.current().nextLong();
        Duration length = Duration.ofMillis((long)(minutes * 60_000));
        ChaosRun.Settings settings = new ChaosRun.Settings(seed, length,
            Duration.ofSeconds(Long.getLong("chaos.phaseSeconds", 30)),
            Duration.ofMillis(Long.getLong("chaos.doubleLiveBoundMs", 20_000)),
            Duration.ofMillis(Long.getLong("chaos.lostBoundMs", 45_000)),
            Duration.ofSeconds(Long.getLong("chaos.settleSeconds", 120)),
            Integer.getInteger("chaos.maxChildren", 150),
            Boolean.parseBoolean(System.getProperty("chaos.cuts", "true")));
        Path dir = Path.of("target", "chaos", "run-" + seed + "-" + ProcessHandle.current().pid());
        String replay = "mvn -pl tests -am test -Dtest=ChaosTest -Dchaos.seed=" + seed + " -Dchaos.minutes=" + minutes
            + " -Dchaos.cuts=" + settings.cuts();
        System.out.println("[chaos] seed " + seed + ", " + minutes + " min, logs in " + dir.toAbsolutePath() + "; replay: " + replay);
        ChaosReport report = new ChaosRun(settings, dir).run();
        String text = report.render("chaos run: seed " + seed + ", " + minutes + " min (replay: " + replay + ")");
        System.out.println(text);
        java.nio.file.Files.writeString(dir.resolve("report.txt"), text);
        assertEquals(0, report.violations().size(), text);
    }
}
