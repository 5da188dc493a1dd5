package io.causeway.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ThroughputBenchResultsTest {
    private static final ThroughputBench.Settings SETTINGS =
            new ThroughputBench.Settings(10, 3, true, true, null, Path.of("/tmp/unused"));

    @Test
    void medianOfRunsAndRatio() {
        ThroughputBench.Results results = new ThroughputBench.Results(SETTINGS,
                new ThroughputBench.Measurement("strongSwan", List.of(300.0, 400.0, 350.0), null),
                new ThroughputBench.Measurement("Causeway", List.of(700.0, 100.0, 420.0), null));

        assertThat(results.strongSwan().mbitPerSecond()).isEqualTo(350.0);
        assertThat(results.causeway().mbitPerSecond()).isEqualTo(420.0);
        assertThat(results.ratio()).isEqualTo(1.2);
        assertThat(results.table()).contains("350.0", "420.0", "1.20", "[300, 400, 350]");
    }

    @Test
    void failedPartShowsWhyAndNoRatio() {
        ThroughputBench.Results results = new ThroughputBench.Results(SETTINGS,
                new ThroughputBench.Measurement("strongSwan", List.of(330.0, 310.0), null),
                ThroughputBench.Measurement.failed("Causeway", "no READY line after 30000 ms"));

        assertThat(results.strongSwan().mbitPerSecond()).isEqualTo(320.0);
        assertThat(results.ratio()).isNaN();
        assertThat(results.table()).contains("FAILED", "n/a", "no READY line after 30000 ms");
    }

    @Test
    void skippedPartIsNotAFailureMessage() {
        ThroughputBench.Results results = new ThroughputBench.Results(SETTINGS,
                new ThroughputBench.Measurement("strongSwan", List.of(330.0), null),
                ThroughputBench.Measurement.failed("Causeway", "skipped"));

        assertThat(results.table()).contains("skipped").doesNotContain("failed:");
    }
}
