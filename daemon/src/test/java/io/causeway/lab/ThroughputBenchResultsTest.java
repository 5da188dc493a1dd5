package io.causeway.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ThroughputBenchResultsTest {
    private static final ThroughputBench.Settings SETTINGS =
            new ThroughputBench.Settings(10, 3, true, true, true, true, true, true, null, Path.of("/tmp/unused"));

    private static ThroughputBench.Measurement skipped(String name) {
        return ThroughputBench.Measurement.failed(name, "skipped");
    }

    private static ThroughputBench.Measurement full(String name, List<Double> single, List<Double> parallel,
            List<Long> rss, List<Long> peak) {
        return new ThroughputBench.Measurement(name, single, parallel, new PingTimes(50, List.of(0.2, 0.3, 0.4)),
                new PingTimes(100, List.of(1.0, 2.0, 9.0)), new PingTimes(50, List.of(0.1, 0.2, 0.25)), rss, peak, null);
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
    void parallelStreamsGetTheirOwnColumnAndRatios() {
        ThroughputBench.Results results = new ThroughputBench.Results(SETTINGS,
                full("strongSwan", List.of(500.0), List.of(800.0, 1000.0, 900.0), List.of(20_480L, 19_456L),
                        List.of(21_504L, 20_480L)),
                skipped("Causeway static"),
                full("daemon udp", List.of(600.0, 650.0, 700.0), List.of(1800.0, 1900.0, 1700.0),
                        List.of(102_400L, 101_376L), List.of(262_144L, 250_880L)),
                full("daemon raw", List.of(900.0), List.of(2000.0), List.of(1L, 1L), List.of(1L, 1L)),
                full("wireguard-go", List.of(1300.0), List.of(2500.0), List.of(10_240L, 9_216L),
                        List.of(11_264L, 10_240L)));

        assertThat(results.daemonUdp().parallelMbitPerSecond()).isEqualTo(1800.0);
        assertThat(ThroughputBench.Results.ratio(results.daemonUdp(), results.strongSwan(), true)).isEqualTo(2.0);
        assertThat(ThroughputBench.Results.ratio(results.daemonRaw(), results.wireguard(), true)).isEqualTo(0.8);
        assertThat(results.daemonUdpToStrongSwan()).isEqualTo(1.3);
        String table = results.table();
        assertThat(table).containsPattern("daemon udp +650.0 +1800.0 +\\[600, 650, 700\\] / \\[1800, 1900, 1700\\]")
                .containsPattern("ratio daemon\\(udp\\)/strongSwan +1.30 +2.00")
                .containsPattern("ratio daemon\\(udp\\)/wireguard-go +0.50 +0.72")
                .containsPattern("ratio daemon\\(raw\\)/wireguard-go +0.69 +0.80")
                .containsPattern("ratio Causeway static/strongSwan +n/a +n/a")
                .doesNotContain("FAILED");
        assertThat(table.indexOf("strongSwan")).isLessThan(table.indexOf("daemon udp"));
        assertThat(table.indexOf("daemon udp")).isLessThan(table.indexOf("daemon raw"));
        assertThat(table.indexOf("daemon raw")).isLessThan(table.indexOf("wireguard-go "));
    }

    @Test
    void latencyMedianP99AndLossPerRow() {
        ThroughputBench.Results results = new ThroughputBench.Results(SETTINGS,
                full("strongSwan", List.of(500.0), List.of(800.0), List.of(1024L, 1024L), List.of(1024L, 1024L)),
                skipped("Causeway static"), skipped("daemon udp"), skipped("daemon raw"), skipped("wireguard-go"));

        // idle: 3 replies of 50 sent; loaded: 3 of 100
        assertThat(results.table()).containsPattern("strongSwan +0.300 +0.400 +2.000 +9.000 +0.200 +0.250 +94.0% / 97.0% / 94.0%");
    }

    @Test
    void noLatencyLeavesThePingTableOut() {
        ThroughputBench.Settings quick = new ThroughputBench.Settings(5, 1, true, false, false, false, false, false,
                null, Path.of("/tmp/unused"));
        ThroughputBench.Results results = new ThroughputBench.Results(quick,
                new ThroughputBench.Measurement("strongSwan", List.of(500.0), List.of(), null, null, null,
                        List.of(2048L, 1024L), List.of(4096L, 3072L), null),
                skipped("Causeway static"), skipped("daemon udp"), skipped("daemon raw"), skipped("wireguard-go"));

        assertThat(results.table()).doesNotContain("Ping through the tunnel")
                .containsPattern("strongSwan +500.0 +-\\n")
                .containsPattern("strongSwan +2 / 1 +4 / 3");
    }

    @Test
    void memoryTableShowsIdleAndPeakInMib() {
        ThroughputBench.Results results = new ThroughputBench.Results(SETTINGS, skipped("strongSwan"),
                skipped("Causeway static"),
                full("daemon udp", List.of(600.0), List.of(1800.0), List.of(102_400L, 101_376L),
                        List.of(262_144L, 250_880L)),
                skipped("daemon raw"), skipped("wireguard-go"));

        assertThat(results.table()).containsPattern("daemon udp +100 / 99 +256 / 245");
    }

    @Test
    void causewayJvmOptionsAreNamed() {
        CausewayLauncher launcher = new CausewayLauncher(Path.of("java"), Path.of("causeway.jar"),
                List.of("-Xmx64m", "-XX:+UseSerialGC"));
        ThroughputBench.Settings settings = new ThroughputBench.Settings(5, 1, false, true, false, false, false, false,
                launcher, Path.of("/tmp/unused"));
        ThroughputBench.Results results = new ThroughputBench.Results(settings, skipped("strongSwan"),
                new ThroughputBench.Measurement("Causeway", List.of(100.0), null), skipped("daemon udp"),
                skipped("daemon raw"), skipped("wireguard-go"));

        assertThat(results.table()).contains("Causeway JVM options: -Xmx64m -XX:+UseSerialGC");
        ThroughputBench.Settings bare = new ThroughputBench.Settings(5, 1, false, true, false, false, false, false,
                launcher.withJvmOptions(List.of()), Path.of("/tmp/unused"));
        assertThat(new ThroughputBench.Results(bare, results.strongSwan(), results.causeway(), results.daemonUdp(),
                results.daemonRaw(), results.wireguard()).table()).contains("Causeway JVM options: none");
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
                new ThroughputBench.Measurement("daemon udp", List.of(400.0), null),
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
