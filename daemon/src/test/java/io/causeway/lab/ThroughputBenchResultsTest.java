package io.causeway.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ThroughputBenchResultsTest {
    private static final ThroughputBench.Settings SETTINGS =
            new ThroughputBench.Settings(10, 3, true, true, true, true, null, Path.of("/tmp/unused"));

    private static ThroughputBench.Measurement skipped(String name) {
        return ThroughputBench.Measurement.failed(name, "skipped");
    }

    private static ThroughputBench.Results onlyStaticRows(ThroughputBench.Measurement strongSwan,
            ThroughputBench.Measurement causeway) {
        return new ThroughputBench.Results(SETTINGS, strongSwan, causeway, skipped("daemon udp"),
                skipped("daemon raw"), skipped("wireguard-go"));
    }

    @Test
    void medianOfRunsAndRatio() {
        ThroughputBench.Results results = onlyStaticRows(
                new ThroughputBench.Measurement("strongSwan", List.of(300.0, 400.0, 350.0), null),
                new ThroughputBench.Measurement("Causeway", List.of(700.0, 100.0, 420.0), null));

        assertThat(results.strongSwan().mbitPerSecond()).isEqualTo(350.0);
        assertThat(results.causeway().mbitPerSecond()).isEqualTo(420.0);
        assertThat(results.ratio()).isEqualTo(1.2);
        assertThat(results.daemonUdpToStrongSwan()).isNaN();
        assertThat(results.table()).contains("350.0", "420.0", "1.20", "[300, 400, 350]");
    }

    @Test
    void daemonAndWireguardRowsWithRatiosAndRss() {
        ThroughputBench.Results results = new ThroughputBench.Results(SETTINGS,
                new ThroughputBench.Measurement("strongSwan", List.of(500.0), List.of(20_480L, 19_456L), null),
                new ThroughputBench.Measurement("Causeway static", List.of(800.0), null),
                new ThroughputBench.Measurement("daemon udp", List.of(600.0, 650.0, 700.0),
                        List.of(262_144L, 250_880L), null),
                new ThroughputBench.Measurement("daemon raw", List.of(900.0), List.of(240_000L, 230_000L), null),
                new ThroughputBench.Measurement("wireguard-go", List.of(1300.0), List.of(10_240L, 9_216L), null));

        assertThat(results.daemonUdpToStrongSwan()).isEqualTo(1.3);
        assertThat(results.daemonUdpToWireguard()).isEqualTo(0.5);
        assertThat(results.daemonRawToWireguard()).isCloseTo(0.6923, org.assertj.core.data.Offset.offset(1e-4));
        String table = results.table();
        assertThat(table).contains("650.0", "[600, 650, 700]", "1300.0", "256 / 245", "20 / 19", "10 / 9")
                .contains("ratio daemon(udp)/strongSwan", "1.30", "ratio daemon(udp)/wireguard-go", "0.50",
                        "ratio daemon(raw)/wireguard-go", "0.69")
                .doesNotContain("n/a", "skipped", "FAILED");
        // one line per row, in the order asked for
        assertThat(table.indexOf("strongSwan")).isLessThan(table.indexOf("daemon udp"));
        assertThat(table.indexOf("daemon udp")).isLessThan(table.indexOf("daemon raw"));
        assertThat(table.indexOf("daemon raw")).isLessThan(table.indexOf("wireguard-go "));
    }

    @Test
    void failedPartShowsWhyAndNoRatio() {
        ThroughputBench.Results results = onlyStaticRows(
                new ThroughputBench.Measurement("strongSwan", List.of(330.0, 310.0), null),
                ThroughputBench.Measurement.failed("Causeway", "no READY line after 30000 ms"));

        assertThat(results.strongSwan().mbitPerSecond()).isEqualTo(320.0);
        assertThat(results.ratio()).isNaN();
        assertThat(results.table()).contains("FAILED", "n/a", "no READY line after 30000 ms");
    }

    @Test
    void skippedPartIsNotAFailureMessage() {
        ThroughputBench.Results results = onlyStaticRows(
                new ThroughputBench.Measurement("strongSwan", List.of(330.0), null),
                ThroughputBench.Measurement.failed("Causeway", "skipped"));

        assertThat(results.table()).contains("skipped").doesNotContain("failed:");
    }

    @Test
    void missingWireguardIsSkippedWithTheInstallLine() {
        ThroughputBench.Measurement wireguard = ThroughputBench.Measurement.failed("wireguard-go",
                "skipped: wireguard-go and wg not installed; to measure it, run: " + WireguardGo.INSTALL);
        ThroughputBench.Results results = new ThroughputBench.Results(SETTINGS,
                new ThroughputBench.Measurement("strongSwan", List.of(330.0), null), skipped("Causeway"),
                new ThroughputBench.Measurement("daemon udp", List.of(400.0), List.of(1024L, 1024L), null),
                skipped("daemon raw"), wireguard);

        assertThat(wireguard.skipped()).isTrue();
        assertThat(wireguard.succeeded()).isFalse();
        assertThat(results.daemonUdpToWireguard()).isNaN();
        assertThat(results.table()).contains("wireguard-go skipped: wireguard-go and wg not installed",
                "apt-get install -y --no-install-recommends wireguard-go wireguard-tools").doesNotContain("failed:");
    }

    @Test
    void daemonConfAsksForUdpOnlyWithForceencaps() {
        String udp = ThroughputBench.daemonConf(true, true);
        String raw = ThroughputBench.daemonConf(true, false);
        String east = ThroughputBench.daemonConf(false, true);

        assertThat(udp).contains("forceencaps=yes", "auto=start", "ike=aes128-sha256-ecp256!", "esp=aes128gcm16!",
                "leftsubnet=10.1.0.0/24", "rightsubnet=10.2.0.0/24");
        assertThat(raw).doesNotContain("forceencaps").contains("auto=start");
        assertThat(east).contains("forceencaps=yes", "auto=add", "leftid=east.example", "right=192.0.2.1");
    }
}
