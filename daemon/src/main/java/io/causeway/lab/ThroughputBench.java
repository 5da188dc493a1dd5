package io.causeway.lab;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
  * Compares tunnel throughput of strongSwan and Causeway in one run, on the same machine and the
  * same topology layout (no NAT): iperf3 TCP from west 10.1.0.1 to east 10.2.0.1 through
  *
  * <ol>
  *   <li>strongSwan on both ends (kernel-libipsec, IKEv2 PSK, ike aes128-sha256-ecp256, esp
  *       aes128gcm16, always UDP-encapsulated);
  *   <li>Causeway static-key data planes on both ends (aes128gcm16, UDP-encapsulated).
  * </ol>
  *
  * Each part gets a fresh topology, so nothing of one (routes, TUN devices) can help or hurt the
  * other. With {@code --runs N} each tunnel is measured N times and the median is reported, which
  * matters on a shared machine. A part that fails is reported in the table instead of aborting.
  *
  * <p>Run as root: {@code java -cp causeway.jar io.causeway.lab.ThroughputBench [--seconds N]
  * [--runs N] [--only strongswan|causeway] [--jar PATH] [--keep-logs]}. Without --jar, Causeway
  * is started from the jar this class was loaded from (or target/causeway.jar next to
  * target/classes).
  */
public final class ThroughputBench {
    public static final String SUITE = "aes128gcm16";
    public static final String IKE_PROPOSAL = "aes128-sha256-ecp256";
    private static final String STRONGSWAN_NAME = "strongSwan <-> strongSwan";
    private static final String CAUSEWAY_NAME = "Causeway   <-> Causeway";
    private static final String SKIPPED = BenchRun.SKIPPED;
    private static final Duration IKE_DEADLINE = Duration.ofSeconds(20);
    private static final Duration TUNNEL_PING_DEADLINE = Duration.ofSeconds(15);

    /** What to run. launcher may be null: Causeway is then located when its part starts. */
    public record Settings(int seconds, int runs, boolean strongSwan, boolean causeway, CausewayLauncher launcher,
            Path logDir) {}

    /** One side of the comparison: the median over its runs, or why there is no figure. */
    public record Measurement(String name, List<Double> runsMbitPerSecond, String failure) {
        static Measurement failed(String name, String why) {
            return new Measurement(name, List.of(), why);
        }

        public boolean succeeded() {
            return failure == null;
        }

        public double mbitPerSecond() {
            return BenchRun.median(runsMbitPerSecond);
        }
    }

    public record Results(Settings settings, Measurement strongSwan, Measurement causeway) {
        /** Causeway / strongSwan, NaN unless both ran. */
        public double ratio() {
            return strongSwan.succeeded() && causeway.succeeded()
                    ? causeway.mbitPerSecond() / strongSwan.mbitPerSecond() : Double.NaN;
        }

        public String table() {
            StringBuilder out = new StringBuilder();
            out.append(String.format(Locale.ROOT, "Tunnel throughput: iperf3 TCP %d s x %d run(s), %s -> %s, "
                    + "ESP %s in UDP/4500%n", settings.seconds(), settings.runs(), Topology.WEST_HOST_V4,
                    Topology.EAST_HOST_V4, SUITE));
            out.append(String.format(Locale.ROOT, "  %-28s %12s   %s%n", "peers", "Mbit/s", "runs"));
            row(out, strongSwan);
            row(out, causeway);
            double ratio = ratio();
            out.append(String.format(Locale.ROOT, "  %-28s %12s%n", "ratio Causeway/strongSwan",
                    Double.isNaN(ratio) ? "n/a" : String.format(Locale.ROOT, "%.2f", ratio)));
            for (Measurement m : List.of(strongSwan, causeway)) {
                BenchRun.appendFailure(out, m.succeeded(), m.name(), m.failure());
            }
            return out.toString();
        }

        private static void row(StringBuilder out, Measurement m) {
            String figure = m.succeeded() ? String.format(Locale.ROOT, "%.1f", m.mbitPerSecond())
                    : m.failure().equals(SKIPPED) ? SKIPPED : "FAILED";
            String runs = m.runsMbitPerSecond().size() > 1 ? m.runsMbitPerSecond().stream()
                    .map(v -> String.format(Locale.ROOT, "%.0f", v)).toList().toString() : "";
            out.append(String.format(Locale.ROOT, "  %-28s %12s   %s%n", m.name(), figure, runs));
        }
    }

    private ThroughputBench() {}

    /** Runs the selected parts one after the other. Logs go to settings.logDir(). */
    public static Results run(Settings settings) {
        Measurement swan = settings.strongSwan() ? strongSwanPair(settings)
                : Measurement.failed(STRONGSWAN_NAME, SKIPPED);
        Measurement cw = settings.causeway() ? causewayPair(settings) : Measurement.failed(CAUSEWAY_NAME, SKIPPED);
        return new Results(settings, swan, cw);
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
                    return new Measurement(STRONGSWAN_NAME, measure(topology, settings, dir), null);
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
                    return new Measurement(CAUSEWAY_NAME, measure(topology, settings, dir), null);
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
        BenchOptions options = new BenchOptions();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                default -> i = options.parse(args, i, "ThroughputBench [--seconds N] [--runs N]"
                        + " [--only strongswan|causeway] [--jar PATH] [--keep-logs]");
            }
        }
        boolean strongSwan = options.strongSwan;
        boolean causeway = options.causeway;
        List<String> tools = new ArrayList<>(List.of("ip", "nft", "iperf3", "ping", "ss", "nsenter", "unshare"));
        if (strongSwan) {
            tools.add("charon");
        }
        Path logDir = BenchRun.prepare("ThroughputBench", "bench", tools);

        Results results = run(new Settings(seconds, runs, strongSwan, causeway, options.launcher, logDir));
        boolean failed = (strongSwan && !results.strongSwan().succeeded())
                || (causeway && !results.causeway().succeeded());
        BenchRun.finish(results.table(), failed, options.keepLogs, logDir);
    }
}
