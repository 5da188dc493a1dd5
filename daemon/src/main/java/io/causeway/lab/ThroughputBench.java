package io.causeway.lab;

import io.causeway.daemon.control.ControlClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
  * Compares tunnel throughput of strongSwan, Causeway and wireguard-go in one run, on the same
  * machine and the same topology layout (no NAT): iperf3 TCP from west 10.1.0.1 to east 10.2.0.1
  * through
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
  * other. With {@code --runs N} each tunnel is measured N times and the median is reported, which
  * matters on a shared machine. The table also gives the resident memory (VmRSS) of the west and
  * east process of each part after its last run, and the ratios daemon (UDP) / strongSwan, daemon
  * (UDP) / wireguard-go and daemon (raw ESP) / wireguard-go. A part that fails is reported in the
  * table instead of aborting.
  *
  * <p>Run as root: {@code java -cp causeway.jar io.causeway.lab.ThroughputBench [--seconds N]
  * [--runs N] [--only strongswan|causeway|daemon|wireguard[,...]] [--jar PATH] [--keep-logs]}.
  * Without --jar, Causeway is started from the jar this class was loaded from (or
  * target/causeway.jar next to target/classes).
  */
public final class ThroughputBench {
    public static final String SUITE = "aes128gcm16";
    public static final String IKE_PROPOSAL = "aes128-sha256-ecp256";
    static final String STRONGSWAN_NAME = "strongSwan <-> strongSwan, UDP 4500";
    static final String CAUSEWAY_NAME = "Causeway static <-> static, UDP 4500";
    static final String DAEMON_UDP_NAME = "Causeway daemon <-> daemon, UDP 4500";
    static final String DAEMON_RAW_NAME = "Causeway daemon <-> daemon, raw ESP";
    static final String WIREGUARD_NAME = "wireguard-go <-> wireguard-go";
    private static final String SKIPPED = BenchRun.SKIPPED;
    private static final String CONNECTION = "bench";
    private static final Duration IKE_DEADLINE = Duration.ofSeconds(20);
    private static final Duration TUNNEL_PING_DEADLINE = Duration.ofSeconds(15);

    /** What to run. launcher may be null: Causeway is then located when its part starts. */
    public record Settings(int seconds, int runs, boolean strongSwan, boolean causeway, boolean daemon,
            boolean wireguard, CausewayLauncher launcher, Path logDir) {}

    /**
      * One row of the comparison: the median over its runs and the VmRSS in KiB of its processes
      * (west, east) after the last run, or why there is no figure. A failure that starts with
      * "skipped" is a part not run, not a failed one.
      */
    public record Measurement(String name, List<Double> runsMbitPerSecond, List<Long> rssKib, String failure) {
        public Measurement(String name, List<Double> runsMbitPerSecond, String failure) {
            this(name, runsMbitPerSecond, List.of(), failure);
        }

        static Measurement failed(String name, String why) {
            return new Measurement(name, List.of(), List.of(), why);
        }

        public boolean succeeded() {
            return failure == null;
        }

        public boolean skipped() {
            return failure != null && (failure.equals(SKIPPED) || failure.startsWith(SKIPPED + ":"));
        }

        public double mbitPerSecond() {
            return BenchRun.median(runsMbitPerSecond);
        }
    }

    public record Results(Settings settings, Measurement strongSwan, Measurement causeway, Measurement daemonUdp,
            Measurement daemonRaw, Measurement wireguard) {
        /** Causeway static / strongSwan, NaN unless both ran. */
        public double ratio() {
            return ratio(causeway, strongSwan);
        }

        /** Causeway daemon (ESP in UDP) / strongSwan (ESP in UDP). */
        public double daemonUdpToStrongSwan() {
            return ratio(daemonUdp, strongSwan);
        }

        /** Causeway daemon (ESP in UDP) / wireguard-go. */
        public double daemonUdpToWireguard() {
            return ratio(daemonUdp, wireguard);
        }

        /** Causeway daemon (raw ESP) / wireguard-go. */
        public double daemonRawToWireguard() {
            return ratio(daemonRaw, wireguard);
        }

        /** Every row, in table order. */
        public List<Measurement> rows() {
            return List.of(strongSwan, causeway, daemonUdp, daemonRaw, wireguard);
        }

        private static double ratio(Measurement a, Measurement b) {
            return a.succeeded() && b.succeeded() ? a.mbitPerSecond() / b.mbitPerSecond() : Double.NaN;
        }

        public String table() {
            StringBuilder out = new StringBuilder();
            out.append(String.format(Locale.ROOT, "Tunnel throughput: iperf3 TCP %d s x %d run(s), %s -> %s, no NAT%n"
                    + "  ESP %s (daemons: IKEv2 PSK %s); WireGuard ChaCha20-Poly1305, MTU %d%n",
                    settings.seconds(), settings.runs(), Topology.WEST_HOST_V4, Topology.EAST_HOST_V4, SUITE,
                    IKE_PROPOSAL, WireguardGo.MTU));
            out.append(String.format(Locale.ROOT, "  %-38s %10s   %-15s %s%n", "peers", "Mbit/s", "RSS MiB w/e",
                    "runs"));
            for (Measurement m : rows()) {
                row(out, m);
            }
            ratioRow(out, "ratio Causeway static/strongSwan", ratio());
            ratioRow(out, "ratio daemon(udp)/strongSwan", daemonUdpToStrongSwan());
            ratioRow(out, "ratio daemon(udp)/wireguard-go", daemonUdpToWireguard());
            ratioRow(out, "ratio daemon(raw)/wireguard-go", daemonRawToWireguard());
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

        private static void ratioRow(StringBuilder out, String label, double ratio) {
            out.append(String.format(Locale.ROOT, "  %-38s %10s%n", label,
                    Double.isNaN(ratio) ? "n/a" : String.format(Locale.ROOT, "%.2f", ratio)));
        }

        private static void row(StringBuilder out, Measurement m) {
            String figure = m.succeeded() ? String.format(Locale.ROOT, "%.1f", m.mbitPerSecond())
                    : m.skipped() ? SKIPPED : "FAILED";
            String rss = m.rssKib().isEmpty() ? "-" : String.join(" / ", m.rssKib().stream()
                    .map(kib -> String.format(Locale.ROOT, "%.0f", kib / 1024.0)).toList());
            String runs = m.runsMbitPerSecond().size() > 1 ? m.runsMbitPerSecond().stream()
                    .map(v -> String.format(Locale.ROOT, "%.0f", v)).toList().toString() : "";
            out.append(String.format(Locale.ROOT, "  %-38s %10s   %-15s %s", m.name(), figure, m.succeeded() ? rss : "",
                    runs).stripTrailing()).append(System.lineSeparator());
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
                    List<Double> runs = measure(topology, settings, dir);
                    return new Measurement(STRONGSWAN_NAME, runs, rss(westSwan.pid(), eastSwan.pid()), null);
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
                    List<Double> runs = measure(topology, settings, dir);
                    return new Measurement(CAUSEWAY_NAME, runs, rss(west.pid(), east.pid()), null);
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
                    List<Double> runs = measure(topology, settings, dir);
                    return new Measurement(name, runs, rss(west.pid(), east.pid()), null);
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
                    List<Double> runs = measure(topology, settings, dir);
                    return new Measurement(WIREGUARD_NAME, runs, rss(west.pid(), east.pid()), null);
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

    private static List<Long> rss(long westPid, long eastPid) {
        return List.of(BenchRun.rssKib(westPid), BenchRun.rssKib(eastPid));
    }

    private static void requireTunnelPing(Topology topology, String who) {
        if (!Ping.awaitReply(topology.west(), topology.westHostV4(), topology.eastHostV4(), TUNNEL_PING_DEADLINE)) {
            throw new LabException("no ping reply through the " + who + " tunnel within "
                    + TUNNEL_PING_DEADLINE.toSeconds() + " s");
        }
    }

    private static List<Double> measure(Topology topology, Settings settings, Path logDir) {
        List<Double> runs = new ArrayList<>();
        for (int i = 0; i < settings.runs(); i++) {
            runs.add(Iperf3.measure(topology.east(), topology.eastHostV4(), topology.west(), topology.westHostV4(),
                    settings.seconds(), logDir).mbitPerSecond());
        }
        return List.copyOf(runs);
    }

    public static void main(String[] args) {
        int seconds = 10;
        int runs = 1;
        BenchOptions options = new BenchOptions("daemon", "wireguard");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                default -> i = options.parse(args, i, "ThroughputBench [--seconds N] [--runs N]"
                        + " [--only " + options.partsUsage() + "[,...]] " + BenchOptions.commonUsage());
            }
        }
        boolean strongSwan = options.runs("strongswan");
        List<String> tools = new ArrayList<>(List.of("ip", "nft", "iperf3", "ping", "ss", "nsenter", "unshare"));
        if (strongSwan) {
            tools.add("charon");
        }
        Path logDir = BenchRun.prepare("ThroughputBench", "bench", tools);

        Results results = run(new Settings(seconds, runs, strongSwan, options.runs("causeway"), options.runs("daemon"),
                options.runs("wireguard"), options.launcher(), logDir));
        // a row skipped for want of a tool is not a failure; its line under the table says what to install
        boolean failed = results.rows().stream().anyMatch(m -> !m.succeeded() && !m.skipped());
        BenchRun.finish(results.table(), failed, options.keepLogs, logDir);
    }
}
