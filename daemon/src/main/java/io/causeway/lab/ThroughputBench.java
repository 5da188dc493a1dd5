package io.causeway.lab;

import io.causeway.daemon.control.ControlClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
  * Compares tunnel throughput and latency of strongSwan, Causeway and wireguard-go in one run, on
  * the same machine and the same topology layout (no NAT): iperf3 TCP from west 10.1.0.1 to east
  * 10.2.0.1 through
  *
  * <ol>
  *   <li>strongSwan on both ends (kernel-libipsec, IKEv2 PSK, ike aes128-sha256-ecp256, esp
  *       aes128gcm16, always UDP-encapsulated);
  *   <li>Causeway static-key data planes on both ends (aes128gcm16, UDP-encapsulated): a fixture,
  *       the data path without IKE;
  *   <li>the real daemon on both ends: two {@code causeway daemon}s negotiating IKEv2 PSK with each
  *       other (ike aes128-sha256-ecp256!, esp aes128gcm16!; west auto=start, east auto=add),
  *       measured twice: with {@code forceencaps=yes} (ESP in UDP 4500, what strongSwan's
  *       kernel-libipsec always does) and without (raw ESP, IP protocol 50, which two Causeways use
  *       when there is no NAT). iperf3 starts once both daemons report the tunnel CONNECTED, the
  *       negotiated encapsulation is the one asked for, and a ping passes;
  *   <li>wireguard-go on both ends (userspace WireGuard, ChaCha20-Poly1305, UDP 51820, MTU 1420),
  *       configured with {@code wg}. Skipped, with the apt-get line that installs them, when
  *       {@code wireguard-go} or {@code wg} is missing; the bench installs nothing itself.
  * </ol>
  *
  * Each part gets a fresh topology, so nothing of one (routes, TUN devices) can help or hurt the
  * other. Each part measures, in this order:
  *
  * <ul>
  *   <li>the idle latency: {@value #IDLE_PINGS} pings {@code PING_INTERVAL} apart through the tunnel
  *       before any iperf3 (median and p99 of the replies' times);
  *   <li>one iperf3 stream, {@code --runs} times; ping keeps sending every 20 ms while each of these
  *       runs, and its replies from the run's second second until half a second before its end are
  *       the latency under load (median and p99 over all runs; the first second is TCP's ramp);
  *   <li>8 parallel iperf3 streams ({@code -P 8}, their sum), {@code --runs} times;
  *   <li>the idle latency again, after the load: a gateway that has run for a while has compiled its
  *       packet path, which the first idle pings, right after the tunnel came up, may still interpret.
  * </ul>
  *
  * The median of the runs is reported, which matters on a shared machine, with the ratios daemon
  * (UDP) / strongSwan, daemon (UDP) / wireguard-go and daemon (raw ESP) / wireguard-go for both
  * stream counts, and the resident memory (VmRSS) of the west and east process of each part: idle
  * (tunnel up, before iperf3) and the highest sampled during iperf3. Causeway runs with the
  * launcher's JVM options ({@link JvmOptions}) unless {@code --jvm-options} says otherwise. A part
  * that fails is reported in the table instead of aborting. {@code --no-parallel} and
  * {@code --no-latency} leave out the 8-stream runs and the pings. {@code --inbound-workers 0,2} runs the
  * daemon rows once per value (the daemons' {@code -Dcauseway.inboundWorkers}), one table each, in the same run.
  *
  * <p>Run as root: {@code java -cp causeway.jar io.causeway.lab.ThroughputBench [--seconds N]
  * [--runs N] [--no-parallel] [--no-latency] [--inbound-workers N[,N...]] [--only strongswan|causeway|daemon|wireguard[,...]]
  * [--jar PATH] [--jvm-options "OPTIONS"] [--keep-logs]}. Without --jar, Causeway is started from
  * the jar this class was loaded from (or target/causeway.jar next to target/classes).
  */
public final class ThroughputBench {
    public static final String SUITE = "aes128gcm16";
    public static final String IKE_PROPOSAL = "aes128-sha256-ecp256";
    public static final int PARALLEL_STREAMS = 8;
    public static final int IDLE_PINGS = 50;
    public static final Duration PING_INTERVAL = Duration.ofMillis(20);
    static final String STRONGSWAN_NAME = "strongSwan <-> strongSwan, UDP 4500";
    static final String CAUSEWAY_NAME = "Causeway static <-> static, UDP 4500";
    static final String DAEMON_UDP_NAME = "Causeway daemon <-> daemon, UDP 4500";
    static final String DAEMON_RAW_NAME = "Causeway daemon <-> daemon, raw ESP";
    static final String WIREGUARD_NAME = "wireguard-go <-> wireguard-go";
    private static final String SKIPPED = BenchRun.SKIPPED;
    private static final String CONNECTION = "bench";
    private static final Duration IKE_DEADLINE = Duration.ofSeconds(20);
    private static final Duration TUNNEL_PING_DEADLINE = Duration.ofSeconds(15);
    /** Loaded pings start with iperf3 and end this long before it, so none falls after the load. */
    private static final Duration LOADED_PING_MARGIN = Duration.ofMillis(500);
    /** Loaded pings of the first second are left out: TCP is still ramping up. */
    private static final Duration LOADED_PING_WARMUP = Duration.ofSeconds(1);
    private static final String NAME_COLUMN = "  %-38s";

    /**
      * What to run. launcher may be null: Causeway is then located when its part starts. parallel:
      * the -P 8 runs; latency: the idle and loaded pings.
      */
    public record Settings(int seconds, int runs, boolean strongSwan, boolean causeway, boolean daemon,
            boolean wireguard, boolean parallel, boolean latency, CausewayLauncher launcher, Path logDir) {}

    /**
      * One row of the comparison: the runs with one stream and with {@value #PARALLEL_STREAMS}
      * (empty when not measured), the ping times idle and under load (null when not measured), the
      * VmRSS in KiB of its processes (west, east) idle and at the highest during iperf3, or why there
      * is no figure. A failure that starts with "skipped" is a part not run, not a failed one.
      */
    public record Measurement(String name, List<Double> runsMbitPerSecond, List<Double> parallelRunsMbitPerSecond,
            PingTimes idlePing, PingTimes loadedPing, PingTimes idleAfterPing, List<Long> rssKib, List<Long> peakRssKib, String failure) {
        public Measurement {
            runsMbitPerSecond = List.copyOf(runsMbitPerSecond);
            parallelRunsMbitPerSecond = List.copyOf(parallelRunsMbitPerSecond);
            rssKib = List.copyOf(rssKib);
            peakRssKib = List.copyOf(peakRssKib);
        }

        /** A single-stream figure only (no parallel runs, pings or memory). */
        public Measurement(String name, List<Double> runsMbitPerSecond, String failure) {
            this(name, runsMbitPerSecond, List.of(), null, null, null, List.of(), List.of(), failure);
        }

        static Measurement failed(String name, String why) {
            return new Measurement(name, List.of(), why);
        }

        public boolean succeeded() {
            return failure == null;
        }

        public boolean skipped() {
            return failure != null && (failure.equals(SKIPPED) || failure.startsWith(SKIPPED + ":"));
        }

        /** Median of the single-stream runs. */
        public double mbitPerSecond() {
            return BenchRun.median(runsMbitPerSecond);
        }

        /** Median of the parallel runs, NaN when there were none. */
        public double parallelMbitPerSecond() {
            return BenchRun.median(parallelRunsMbitPerSecond);
        }
    }

    public record Results(Settings settings, Measurement strongSwan, Measurement causeway, Measurement daemonUdp,
            Measurement daemonRaw, Measurement wireguard) {
        /** Causeway static / strongSwan, NaN unless both ran. */
        public double ratio() {
            return ratio(causeway, strongSwan, false);
        }

        /** Causeway daemon (ESP in UDP) / strongSwan (ESP in UDP). */
        public double daemonUdpToStrongSwan() {
            return ratio(daemonUdp, strongSwan, false);
        }

        /** Causeway daemon (ESP in UDP) / wireguard-go. */
        public double daemonUdpToWireguard() {
            return ratio(daemonUdp, wireguard, false);
        }

        /** Causeway daemon (raw ESP) / wireguard-go. */
        public double daemonRawToWireguard() {
            return ratio(daemonRaw, wireguard, false);
        }

        /** Every row, in table order. */
        public List<Measurement> rows() {
            return List.of(strongSwan, causeway, daemonUdp, daemonRaw, wireguard);
        }

        /** a / b of the single-stream or the parallel medians; NaN unless both have that figure. */
        public static double ratio(Measurement a, Measurement b, boolean parallel) {
            if (!a.succeeded() || !b.succeeded()) {
                return Double.NaN;
            }
            return parallel ? a.parallelMbitPerSecond() / b.parallelMbitPerSecond() : a.mbitPerSecond() / b.mbitPerSecond();
        }

        public String table() {
            StringBuilder out = new StringBuilder();
            out.append(String.format(Locale.ROOT, "Tunnel throughput: iperf3 TCP %d s x %d run(s), %s -> %s, no NAT%n"
                    + "  ESP %s (daemons: IKEv2 PSK %s); WireGuard ChaCha20-Poly1305, MTU %d%n",
                    settings.seconds(), settings.runs(), Topology.WEST_HOST_V4, Topology.EAST_HOST_V4, SUITE,
                    IKE_PROPOSAL, WireguardGo.MTU));
            if (settings.launcher() != null) {
                List<String> jvm = settings.launcher().jvmOptions();
                out.append("  Causeway JVM options: ").append(jvm.isEmpty() ? "none (the JVM's defaults)"
                        : String.join(" ", jvm)).append(System.lineSeparator());
            }
            out.append(String.format(Locale.ROOT, NAME_COLUMN + " %10s %10s   %s%n", "peers, Mbit/s", "1 stream",
                    PARALLEL_STREAMS + " streams", "runs (1 stream" + (settings.parallel() ? " / " + PARALLEL_STREAMS
                    + " streams)" : ")")));
            for (Measurement m : rows()) {
                throughputRow(out, m);
            }
            ratioRow(out, "ratio Causeway static/strongSwan", causeway, strongSwan);
            ratioRow(out, "ratio daemon(udp)/strongSwan", daemonUdp, strongSwan);
            ratioRow(out, "ratio daemon(udp)/wireguard-go", daemonUdp, wireguard);
            ratioRow(out, "ratio daemon(raw)/wireguard-go", daemonRaw, wireguard);
            if (settings.latency()) {
                latencyTable(out);
            }
            memoryTable(out);
            for (Measurement m : rows()) {
                if (m.skipped() && !m.failure().equals(SKIPPED)) {
                    out.append(String.format(Locale.ROOT, "%n%s %s%n", m.name(), m.failure()));
                }
            }
            for (Measurement m : rows()) {
                BenchRun.appendFailure(out, m.succeeded() || m.skipped(), m.name(), m.failure());
            }
            return out.toString();
        }

        private void latencyTable(StringBuilder out) {
            out.append(String.format(Locale.ROOT, "%nPing through the tunnel, ms: idle = %d pings %d ms apart before"
                    + " iperf3; loaded = every %d ms%n  during the single-stream runs, from their second second on;"
                    + " after = idle again, after all iperf3 runs%n",
                    IDLE_PINGS, PING_INTERVAL.toMillis(), PING_INTERVAL.toMillis()));
            out.append(String.format(Locale.ROOT, NAME_COLUMN + " %8s %8s %8s %8s %9s %8s   %s%n", "peers", "idle med",
                    "p99", "load med", "p99", "after med", "p99", "loss idle / loaded / after"));
            for (Measurement m : rows()) {
                if (!m.succeeded() || m.idlePing() == null || m.loadedPing() == null || m.idleAfterPing() == null) {
                    out.append(String.format(Locale.ROOT, NAME_COLUMN + " %8s%n", m.name(), m.succeeded() ? "-"
                            : m.skipped() ? SKIPPED : "FAILED"));
                    continue;
                }
                out.append(String.format(Locale.ROOT, NAME_COLUMN + " %8s %8s %8s %8s %9s %8s   %s / %s / %s%n",
                        m.name(), millis(m.idlePing().median()), millis(m.idlePing().p99()),
                        millis(m.loadedPing().median()), millis(m.loadedPing().p99()),
                        millis(m.idleAfterPing().median()), millis(m.idleAfterPing().p99()), lost(m.idlePing()),
                        lost(m.loadedPing()), lost(m.idleAfterPing())));
            }
        }

        private void memoryTable(StringBuilder out) {
            out.append(String.format(Locale.ROOT, "%nResident memory (VmRSS), MiB west / east: idle = tunnel up, before"
                    + " iperf3; peak = highest during iperf3%n"));
            out.append(String.format(Locale.ROOT, NAME_COLUMN + " %-13s %s%n", "peers", "idle", "peak"));
            for (Measurement m : rows()) {
                if (!m.succeeded() || m.rssKib().isEmpty()) {
                    out.append(String.format(Locale.ROOT, NAME_COLUMN + " %s%n", m.name(), m.succeeded() ? "-"
                            : m.skipped() ? SKIPPED : "FAILED"));
                    continue;
                }
                out.append(String.format(Locale.ROOT, NAME_COLUMN + " %-13s %s", m.name(), mib(m.rssKib()),
                        mib(m.peakRssKib())).stripTrailing()).append(System.lineSeparator());
            }
        }

        private static String millis(double value) {
            return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.3f", value);
        }

        private static String lost(PingTimes times) {
            return Double.isNaN(times.lossPercent()) ? "-" : String.format(Locale.ROOT, "%.1f%%", times.lossPercent());
        }

        private static String mib(List<Long> kib) {
            return kib.isEmpty() ? "-" : String.join(" / ", kib.stream()
                    .map(k -> String.format(Locale.ROOT, "%.0f", k / 1024.0)).toList());
        }

        private static void ratioRow(StringBuilder out, String label, Measurement a, Measurement b) {
            out.append(String.format(Locale.ROOT, NAME_COLUMN + " %10s %10s", label, ratioText(ratio(a, b, false)),
                    ratioText(ratio(a, b, true))).stripTrailing()).append(System.lineSeparator());
        }

        private static String ratioText(double ratio) {
            return Double.isNaN(ratio) ? "n/a" : String.format(Locale.ROOT, "%.2f", ratio);
        }

        private static void throughputRow(StringBuilder out, Measurement m) {
            String figure = m.succeeded() ? String.format(Locale.ROOT, "%.1f", m.mbitPerSecond())
                    : m.skipped() ? SKIPPED : "FAILED";
            String parallel = m.succeeded() && !m.parallelRunsMbitPerSecond().isEmpty()
                    ? String.format(Locale.ROOT, "%.1f", m.parallelMbitPerSecond()) : m.succeeded() ? "-" : "";
            String runs = "";
            if (m.succeeded() && (m.runsMbitPerSecond().size() > 1 || m.parallelRunsMbitPerSecond().size() > 1)) {
                runs = whole(m.runsMbitPerSecond())
                        + (m.parallelRunsMbitPerSecond().isEmpty() ? "" : " / " + whole(m.parallelRunsMbitPerSecond()));
            }
            out.append(String.format(Locale.ROOT, NAME_COLUMN + " %10s %10s   %s", m.name(), figure, parallel, runs)
                    .stripTrailing()).append(System.lineSeparator());
        }

        private static String whole(List<Double> values) {
            return values.stream().map(v -> String.format(Locale.ROOT, "%.0f", v)).toList().toString();
        }
    }

    private ThroughputBench() {}

    /** Runs the selected parts one after the other. Logs go to settings.logDir(). */
    public static Results run(Settings settings) {
        Measurement swan = settings.strongSwan() ? strongSwanPair(settings)
                : Measurement.failed(STRONGSWAN_NAME, SKIPPED);
        Measurement cw = settings.causeway() ? causewayPair(settings) : Measurement.failed(CAUSEWAY_NAME, SKIPPED);
        Measurement udp = settings.daemon() ? daemonPair(settings, true) : Measurement.failed(DAEMON_UDP_NAME, SKIPPED);
        Measurement raw = settings.daemon() ? daemonPair(settings, false) : Measurement.failed(DAEMON_RAW_NAME, SKIPPED);
        Measurement wg = settings.wireguard() ? wireguardPair(settings) : Measurement.failed(WIREGUARD_NAME, SKIPPED);
        return new Results(settings, swan, cw, udp, raw, wg);
    }

    /** Part (a): two charons with kernel-libipsec. */
    static Measurement strongSwanPair(Settings settings) {
        try (Topology topology = Topology.create(RunPrefix.next(), false)) {
            Path dir = Files2.freshDir(settings.logDir().resolve("strongswan"));
            String east = SwanctlConf.eastResponder(topology).proposals(IKE_PROPOSAL).espProposals(SUITE).build();
            String west = SwanctlConf.westInitiator(topology).proposals(IKE_PROPOSAL).espProposals(SUITE).build();
            try (StrongSwan eastSwan = StrongSwan.startAndLoad(topology.east(), east);
                      StrongSwan westSwan = StrongSwan.startAndLoad(topology.west(), west)) {
                try {
                    westSwan.initiate(SwanctlConf.DEFAULT_CHILD).orThrow();
                    westSwan.waitEstablished(IKE_DEADLINE);
                    requireTunnelPing(topology, "strongSwan");
                    return measure(STRONGSWAN_NAME, topology, settings, dir, westSwan.pid(), eastSwan.pid());
                } catch (RuntimeException e) {
                    throw new LabException(e.getMessage() + BenchRun.tail("west charon log (tail)", westSwan.log())
                            + BenchRun.tail("east charon log (tail)", eastSwan.log()), e);
                }
            }
        } catch (RuntimeException e) {
            return Measurement.failed(STRONGSWAN_NAME, e.getMessage());
        }
    }

    /** Part (b): two Causeway static-key data planes. */
    static Measurement causewayPair(Settings settings) {
        try (Topology topology = Topology.create(RunPrefix.next(), false)) {
            CausewayLauncher launcher = settings.launcher() != null ? settings.launcher() : CausewayLauncher.locate();
            Path dir = Files2.freshDir(settings.logDir().resolve("causeway"));
            StaticTunnelSpec.Files files = StaticTunnelSpec.forTopology(topology).suite(SUITE).encap("udp")
                    .writeTo(dir);
            try (CausewayProcess east = CausewayProcess.startStaticTunnel(topology.east(), launcher, files.eastFile(),
                              dir.resolve("east.log"), CausewayProcess.DEFAULT_READY_DEADLINE);
                      CausewayProcess west = CausewayProcess.startStaticTunnel(topology.west(), launcher, files.westFile(),
                              dir.resolve("west.log"), CausewayProcess.DEFAULT_READY_DEADLINE)) {
                try {
                    requireTunnelPing(topology, "Causeway");
                    return measure(CAUSEWAY_NAME, topology, settings, dir, west.pid(), east.pid());
                } catch (RuntimeException e) {
                    throw new LabException(e.getMessage()
                            + BenchRun.tail("west log (tail)" + BenchRun.exited(west), west.log())
                            + BenchRun.tail("east log (tail)" + BenchRun.exited(east), east.log()), e);
                }
            }
        } catch (RuntimeException e) {
            return Measurement.failed(CAUSEWAY_NAME, "Causeway static-tunnel data plane not usable: " + e.getMessage());
        }
    }

    /**
      * Part (c): two Causeway daemons that negotiate IKEv2 PSK with each other; with forceEncaps
      * ESP in UDP 4500, without it raw ESP (no NAT between them).
      */
    static Measurement daemonPair(Settings settings, boolean forceEncaps) {
        String name = forceEncaps ? DAEMON_UDP_NAME : DAEMON_RAW_NAME;
        try (Topology topology = Topology.create(RunPrefix.next(), false)) {
            CausewayLauncher launcher = settings.launcher() != null ? settings.launcher() : CausewayLauncher.locate();
            Path dir = Files2.freshDir(settings.logDir().resolve(forceEncaps ? "daemon-udp" : "daemon-raw"));
            Path eastConf = dir.resolve("east.conf");
            Files2.write(eastConf, daemonConf(false, forceEncaps));
            Path westConf = dir.resolve("west.conf");
            Files2.write(westConf, daemonConf(true, forceEncaps));
            Path eastSecrets = dir.resolve("east.secrets");
            Files2.write(eastSecrets, "east.example west.example : PSK \"" + SwanctlConf.LAB_PSK + "\"\n");
            Path westSecrets = dir.resolve("west.secrets");
            Files2.write(westSecrets, "west.example east.example : PSK \"" + SwanctlConf.LAB_PSK + "\"\n");
            try (CausewayProcess east = CausewayProcess.startDaemon(topology.east(), launcher, eastConf, eastSecrets,
                              dir.resolve("east.sock").toString(), dir.resolve("east.log"),
                              CausewayProcess.DEFAULT_READY_DEADLINE);
                      CausewayProcess west = CausewayProcess.startDaemon(topology.west(), launcher, westConf,
                              westSecrets, dir.resolve("west.sock").toString(), dir.resolve("west.log"),
                              CausewayProcess.DEFAULT_READY_DEADLINE)) {
                try {
                    Path westSocket = Path.of(west.socket());
                    Path eastSocket = Path.of(east.socket());
                    Poll.require(IKE_DEADLINE, CONNECTION + " CONNECTED at west and east",
                            () -> connected(westSocket) && connected(eastSocket));
                    requireEncapsulation(westSocket, "west", forceEncaps);
                    requireEncapsulation(eastSocket, "east", forceEncaps);
                    requireTunnelPing(topology, "Causeway daemon");
                    return measure(name, topology, settings, dir, west.pid(), east.pid());
                } catch (RuntimeException e) {
                    throw new LabException(e.getMessage()
                            + BenchRun.tail("west log (tail)" + BenchRun.exited(west), west.log())
                            + BenchRun.tail("east log (tail)" + BenchRun.exited(east), east.log()), e);
                }
            }
        } catch (RuntimeException e) {
            return Measurement.failed(name, e.getMessage());
        }
    }

    /** Part (d): two wireguard-go instances; skipped (with how to install them) when the tools are missing. */
    static Measurement wireguardPair(Settings settings) {
        List<String> missing = WireguardGo.missingTools();
        if (!missing.isEmpty()) {
            return Measurement.failed(WIREGUARD_NAME, SKIPPED + ": " + String.join(" and ", missing)
                    + " not installed; to measure it, run: " + WireguardGo.INSTALL);
        }
        try (Topology topology = Topology.create(RunPrefix.next(), false)) {
            Path dir = Files2.freshDir(settings.logDir().resolve("wireguard"));
            // /var/run/wireguard is shared by all namespaces: the names must be ours alone
            try (WireguardGo west = WireguardGo.start(topology.west(), topology.prefix() + "w", dir);
                      WireguardGo east = WireguardGo.start(topology.east(), topology.prefix() + "e", dir)) {
                try {
                    west.connect(east.publicKey(), topology.eastOuterV4(), Topology.EAST_SUBNET_V4,
                            topology.westHostV4());
                    east.connect(west.publicKey(), topology.westOuterV4(), Topology.WEST_SUBNET_V4,
                            topology.eastHostV4());
                    requireTunnelPing(topology, "wireguard-go");
                    return measure(WIREGUARD_NAME, topology, settings, dir, west.pid(), east.pid());
                } catch (RuntimeException e) {
                    throw new LabException(e.getMessage()
                            + BenchRun.tail("west wg show" + (west.alive() ? "" : ", process exited"), west.show())
                            + BenchRun.tail("west wireguard-go log (tail)", west.log())
                            + BenchRun.tail("east wireguard-go log (tail)" + (east.alive() ? "" : ", process exited"),
                                    east.log()), e);
                }
            }
        } catch (RuntimeException e) {
            return Measurement.failed(WIREGUARD_NAME, e.getMessage());
        }
    }

    /** One side's ipsec.conf for part (c) (topology without NAT): west initiates when started, east waits. */
    static String daemonConf(boolean west, boolean forceEncaps) {
        List<String> lines = new ArrayList<>(List.of(
                "conn " + CONNECTION,
                "    keyexchange=ikev2",
                "    left=" + (west ? Topology.WEST_PUBLIC_V4 : Topology.EAST_PUBLIC_V4),
                "    leftid=" + (west ? "west.example" : "east.example"),
                "    leftsubnet=" + (west ? Topology.WEST_SUBNET_V4 : Topology.EAST_SUBNET_V4),
                "    right=" + (west ? Topology.EAST_PUBLIC_V4 : Topology.WEST_PUBLIC_V4),
                "    rightid=" + (west ? "east.example" : "west.example"),
                "    rightsubnet=" + (west ? Topology.EAST_SUBNET_V4 : Topology.WEST_SUBNET_V4),
                "    authby=psk",
                "    ike=" + IKE_PROPOSAL + "!",
                "    esp=" + SUITE + "!"));
        if (forceEncaps) {
            lines.add("    forceencaps=yes");
        }
        lines.add("    auto=" + (west ? "start" : "add"));
        lines.add("");
        return String.join("\n", lines);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> tunnels(Path socket) {
        try {
            Object tunnels = ControlClient.call(socket, Map.of("cmd", "status")).get("tunnels");
            return tunnels instanceof List<?> list ? (List<Map<String, Object>>) list : List.of();
        } catch (Exception e) {
            return List.of();
        }
    }

    private static boolean connected(Path socket) {
        return tunnels(socket).stream().anyMatch(t -> CONNECTION.equals(t.get("name"))
                && "CONNECTED".equals(t.get("state")));
    }

    /** The CHILD_SA must be in UDP exactly when forceencaps asked for it, or the row would measure the other mode. */
    private static void requireEncapsulation(Path socket, String side, boolean udp) {
        List<Object> encaps = new ArrayList<>();
        for (Map<String, Object> t : tunnels(socket)) {
            if (CONNECTION.equals(t.get("name")) && t.get("children") instanceof List<?> children) {
                for (Object child : children) {
                    if (child instanceof Map<?, ?> c) {
                        encaps.add(c.get("encap"));
                    }
                }
            }
        }
        if (encaps.isEmpty() || !encaps.stream().allMatch(Boolean.valueOf(udp)::equals)) {
            throw new LabException("expected " + (udp ? "ESP in UDP" : "raw ESP") + " at " + side
                    + ", status says encap=" + encaps);
        }
    }

    private static void requireTunnelPing(Topology topology, String who) {
        if (!Ping.awaitReply(topology.west(), topology.westHostV4(), topology.eastHostV4(), TUNNEL_PING_DEADLINE)) {
            throw new LabException("no ping reply through the " + who + " tunnel within "
                    + TUNNEL_PING_DEADLINE.toSeconds() + " s");
        }
    }

    /** Everything a part measures once its tunnel carries a ping, in the order the class comment gives. */
    private static Measurement measure(String name, Topology topology, Settings settings, Path logDir, long westPid,
            long eastPid) {
        List<Long> pids = List.of(westPid, eastPid);
        List<Long> idleRss = pids.stream().map(BenchRun::rssKib).toList();
        PingTimes idle = settings.latency() ? Ping.times(topology.west(), topology.westHostV4(), topology.eastHostV4(),
                IDLE_PINGS, PING_INTERVAL) : null;
        List<Double> single = new ArrayList<>();
        List<PingTimes> loaded = new ArrayList<>();
        List<Double> parallel = new ArrayList<>();
        List<Long> peakRss;
        try (RssSampler sampler = RssSampler.start(pids)) {
            for (int i = 0; i < settings.runs(); i++) {
                single.add(settings.latency() ? singleStreamWithPing(topology, settings, logDir, i, loaded)
                        : iperf3(topology, settings, logDir, 1));
            }
            for (int i = 0; settings.parallel() && i < settings.runs(); i++) {
                parallel.add(iperf3(topology, settings, logDir, PARALLEL_STREAMS));
            }
            peakRss = sampler.stop();
        }
        PingTimes idleAfter = settings.latency() ? Ping.times(topology.west(), topology.westHostV4(),
                topology.eastHostV4(), IDLE_PINGS, PING_INTERVAL) : null;
        return new Measurement(name, single, parallel, idle, settings.latency() ? PingTimes.pooled(loaded) : null,
                idleAfter,
                idleRss, peakRss, null);
    }

    private static double singleStreamWithPing(Topology topology, Settings settings, Path logDir, int run,
            List<PingTimes> loaded) {
        Duration load = Duration.ofSeconds(settings.seconds()).minus(LOADED_PING_MARGIN);
        int count = (int) Math.max(1, load.toMillis() / PING_INTERVAL.toMillis());
        int warmup = (int) (LOADED_PING_WARMUP.toMillis() / PING_INTERVAL.toMillis());
        try (BackgroundPing ping = BackgroundPing.start(topology.west(), topology.westHostV4(), topology.eastHostV4(),
                count, PING_INTERVAL, logDir.resolve("ping-loaded-" + run + ".log"))) {
            double mbit = iperf3(topology, settings, logDir, 1);
            loaded.add(ping.await(count > 2 * warmup ? warmup + 1 : 1));
            return mbit;
        }
    }

    private static double iperf3(Topology topology, Settings settings, Path logDir, int streams) {
        return Iperf3.measure(topology.east(), topology.eastHostV4(), topology.west(), topology.westHostV4(),
                settings.seconds(), streams, Iperf3.DEFAULT_PORT, logDir).mbitPerSecond();
    }

    public static void main(String[] args) {
        int seconds = 10;
        int runs = 1;
        boolean parallel = true;
        boolean latency = true;
        List<Integer> inboundWorkers = List.of();
        BenchOptions options = new BenchOptions("daemon", "wireguard");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--no-parallel" -> parallel = false;
                case "--no-latency" -> latency = false;
                case "--inbound-workers" -> inboundWorkers = Arrays.stream(args[++i].split(","))
                        .map(String::strip).map(Integer::valueOf).toList();
                default -> i = options.parse(args, i, "ThroughputBench [--seconds N] [--runs N] [--no-parallel]"
                        + " [--no-latency] [--inbound-workers N[,N...]] [--only " + options.partsUsage() + "[,...]] " + BenchOptions.commonUsage());
            }
        }
        boolean strongSwan = options.runs("strongswan");
        List<String> tools = new ArrayList<>(List.of("ip", "nft", "iperf3", "ping", "ss", "nsenter", "unshare"));
        if (strongSwan) {
            tools.add("charon");
        }
        Path logDir = BenchRun.prepare("ThroughputBench", "bench", tools);

        CausewayLauncher launcher = options.launcher();
        if (launcher == null && (options.runs("causeway") || options.runs("daemon"))) {
            launcher = CausewayLauncher.locate(); // now, so the table can name its JVM options
        }
        Settings all = new Settings(seconds, runs, strongSwan, options.runs("causeway"), options.runs("daemon"),
                options.runs("wireguard"), parallel, latency, launcher, logDir);
        if (inboundWorkers.isEmpty()) {
            Results results = run(all);
            BenchRun.finish(results.table(), failed(results), options.keepLogs, logDir);
            return;
        }
        // The daemon rows once per inbound worker count, in one run; the other parts only with the first.
        StringBuilder tables = new StringBuilder();
        boolean failed = false;
        if (launcher == null) launcher = CausewayLauncher.locate();
        for (int n : inboundWorkers) {
            List<String> jvm = new ArrayList<>(launcher.jvmOptions());
            jvm.add("-D" + INBOUND_WORKERS_PROPERTY + "=" + n);
            boolean first = tables.isEmpty();
            Results results = run(new Settings(seconds, runs, first && strongSwan, first && all.causeway(),
                    all.daemon(), first && all.wireguard(), parallel, latency, launcher.withJvmOptions(jvm),
                    Files2.freshDir(logDir.resolve("inbound-workers-" + n))));
            tables.append(String.format(Locale.ROOT, "=== inbound workers: %d%n", n)).append(results.table())
                    .append(System.lineSeparator());
            failed |= failed(results);
        }
        BenchRun.finish(tables.toString(), failed, options.keepLogs, logDir);
    }

    /** The data plane's {@code causeway.inboundWorkers} (0: decrypt on the reader). */
    static final String INBOUND_WORKERS_PROPERTY = "causeway.inboundWorkers";

    /** A row skipped for want of a tool is not a failure; its line under the table says what to install. */
    private static boolean failed(Results results) {
        return results.rows().stream().anyMatch(m -> !m.succeeded() && !m.skipped());
    }
}
