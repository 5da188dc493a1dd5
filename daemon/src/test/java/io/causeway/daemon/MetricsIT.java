package io.causeway.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.daemon.testing.LabRequirements;
import io.causeway.lab.CausewayLauncher;
import io.causeway.lab.CausewayProcess;
import io.causeway.lab.Netns;
import io.causeway.lab.Ping;
import io.causeway.lab.Poll;
import io.causeway.lab.RunPrefix;
import io.causeway.lab.SwanctlConf;
import io.causeway.lab.Topology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Prometheus endpoint of two Causeway daemons in namespaces: west serves it on --metrics, east has none.
 * Scraped with curl from inside west's namespace while ping crosses the tunnel.
 */
class MetricsIT {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String PSK = SwanctlConf.LAB_PSK;
    static final String METRICS_PORT = "9813";

    private final String prefix = RunPrefix.next();
    private Path dir;

    @BeforeAll
    static void needsRoot() {
        LabRequirements.root();
        LabRequirements.tools("ping", "curl", "ss");
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        assertThat(Netns.list()).noneMatch(ns -> ns.startsWith(prefix));
    }

    @Test
    void scrapedDuringPingShowsTheTunnelUpTrafficGrowingAndTheHandshake() throws Exception {
        dir = Files.createDirectories(RunPrefix.workDir(prefix, "metrics"));
        try (Topology t = Topology.create(prefix, false);
                CausewayProcess east = daemon(t.east(), "east", conf(t, "east", "add"), List.of());
                CausewayProcess west = daemon(t.west(), "west", conf(t, "west", "start"),
                        List.of("--metrics", "127.0.0.1:" + METRICS_PORT))) {
            awaitConnected(west);
            awaitConnected(east);

            assertThat(listening(t.west())).as("west serves metrics").contains(":" + METRICS_PORT);
            assertThat(listening(t.east())).as("east was not asked to: off by default").doesNotContain(":" + METRICS_PORT);

            Process ping = t.west().spawn(dir.resolve("ping.log"), "ping", "-n", "-i", "0.2", "-c", "100",
                    "-I", Topology.WEST_HOST_V4, Topology.EAST_HOST_V4);
            try {
                Map<String, Double> first = scrape(west);
                assertThat(first).containsEntry("causeway_tunnel_up{tunnel=\"s2s\"}", 1.0)
                        .containsEntry("causeway_tunnel_state{state=\"CONNECTED\",tunnel=\"s2s\"}", 1.0);
                assertThat(first.get("causeway_ike_handshake_seconds_count")).isGreaterThanOrEqualTo(1.0);
                assertThat(first).containsKey("causeway_dropped_packets_total{reason=\"replay\"}");
                String bytesOut = "causeway_tunnel_bytes_total{direction=\"out\",tunnel=\"s2s\"}";
                String bytesIn = "causeway_tunnel_bytes_total{direction=\"in\",tunnel=\"s2s\"}";
                AtomicReference<Map<String, Double>> later = new AtomicReference<>();
                boolean grew = Poll.until(Duration.ofSeconds(15), Duration.ofMillis(300), () -> {
                    Map<String, Double> now = scrape(west);
                    later.set(now);
                    return now.getOrDefault(bytesOut, 0.0) > first.getOrDefault(bytesOut, 0.0)
                            && now.getOrDefault(bytesIn, 0.0) > first.getOrDefault(bytesIn, 0.0);
                });
                assertThat(grew).as("bytes grew between scrapes: %s then %s%n%s", first, later.get(), west.log())
                        .isTrue();
            } finally {
                ping.destroy();
                ping.waitFor();
            }
            assertThat(Ping.run(t.west(), Topology.WEST_HOST_V4, Topology.EAST_HOST_V4, 2).allReceived()).isTrue();
            assertThat(scrape(west).toString()).doesNotContain(PSK);
        }
    }

    private CausewayProcess daemon(Netns ns, String name, String conf, List<String> options) throws Exception {
        return daemon(dir, ns, name, conf, options);
    }

    /** A daemon named name in ns with this ipsec.conf and the west/east PSK, its files in dir. */
    static CausewayProcess daemon(Path dir, Netns ns, String name, String conf, List<String> options) throws Exception {
        return daemon(dir, ns, name, conf, options, CausewayLauncher.locate());
    }

    /** As above, started by launcher (its JVM options, e.g. -Dcauseway.inboundWorkers). */
    static CausewayProcess daemon(Path dir, Netns ns, String name, String conf, List<String> options,
            CausewayLauncher launcher) throws Exception {
        Path config = Files.writeString(dir.resolve(name + ".conf"), conf);
        Path secrets = Files.writeString(dir.resolve(name + ".secrets"),
                "west.example east.example : PSK \"" + PSK + "\"\n");
        return CausewayProcess.startDaemon(ns, launcher, config, secrets,
                dir.resolve(name + ".sock").toString(), dir.resolve(name + ".log"), DEADLINE, options);
    }

    /** Connection s2s between west's and east's subnets, IKEv2 PSK, with extra lines ("key=value") at the end. */
    static String conf(Topology t, String side, String auto, String... extra) {
        boolean west = side.equals("west");
        return String.join("\n", "conn s2s", "    keyexchange=ikev2",
                "    left=" + (west ? t.westOuterV4() : t.eastOuterV4()),
                "    leftid=" + side + ".example",
                "    leftsubnet=" + (west ? Topology.WEST_SUBNET_V4 : Topology.EAST_SUBNET_V4),
                "    right=" + (west ? t.eastOuterV4() : "%any"),
                "    rightid=" + (west ? "east" : "west") + ".example",
                "    rightsubnet=" + (west ? Topology.EAST_SUBNET_V4 : Topology.WEST_SUBNET_V4),
                "    authby=psk", "    ike=aes256-sha384-ecp384!", "    esp=aes256gcm16!", "    auto=" + auto, "")
                + String.join("", Arrays.stream(extra).map(line -> "    " + line + "\n").toList());
    }

    private static String listening(Netns ns) {
        return ns.exec(Duration.ofSeconds(10), "ss", "-ltnH").orThrow().stdout();
    }

    /** GET /metrics from inside the daemon's namespace (checked for its secrets); the sample lines by series. */
    static Map<String, Double> scrape(CausewayProcess daemon) {
        String text = daemon.metrics("127.0.0.1:" + METRICS_PORT);
        Map<String, Double> samples = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) continue;
            int space = line.lastIndexOf(' ');
            samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return samples;
    }

    @SuppressWarnings("unchecked")
    static void awaitConnected(CausewayProcess p) {
        boolean connected = Poll.until(DEADLINE, Duration.ofMillis(100), () -> {
            try {
                Map<String, Object> status = p.control(Map.of("cmd", "status"));
                return "CONNECTED".equals(((List<Map<String, Object>>) status.get("tunnels")).get(0).get("state"));
            } catch (Exception e) {
                return false;
            }
        });
        assertThat(connected).as("CONNECTED%n%s", p.log()).isTrue();
    }
}
