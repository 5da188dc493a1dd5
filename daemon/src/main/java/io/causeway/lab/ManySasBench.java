package io.causeway.lab;

import io.causeway.daemon.control.ControlClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
  * What many CHILD_SAs cost a Causeway daemon: two {@code causeway daemon}s (west, east; IKEv2 PSK, ike
  * aes128-sha256-ecp256!, esp aes128gcm16!, raw ESP, no NAT) with {@code --sas N} connections {@code s0 ... sN-1}
  * between them, pair i being 10.(1+2k).(i mod 256).0/24 === 10.(2+2k).(i mod 256).0/24 with k = i / 256 (so s0
  * is the usual 10.1.0.0/24 === 10.2.0.0/24). They share the peer, ids and IKE settings, so the daemons group them
  * onto one IKE SA (architecture.md, "One IKE SA, several connections"): one IKE_SA_INIT, one IKE_AUTH, N-1
  * CREATE_CHILD_SA. With {@code --separate-ike} every connection has ids of its own (west-i.example, east-i.example),
  * so each gets an IKE SA of its own.
  *
  * <p>West has auto=start, east auto=add; east starts first. The bench waits (polling with a deadline) until the
  * status request {@code causeway status --json} makes shows every tunnel CONNECTED at both, checks a ping through
  * the last pair (hosts 10.x.y.1 on lo at both ends), and reports per daemon: VmRSS idle, the heap and metaspace
  * after a full collection ({@code jcmd PID GC.run}, then {@code GC.heap_info}), VmRSS after it, the thread count,
  * and the highest VmRSS while iperf3 runs one TCP stream through the last pair ({@code --iperf-seconds}, 0 for
  * none); and the time from starting west to its READY line and to every tunnel up at both. Then the same with one
  * tunnel as the baseline ({@code --no-baseline} leaves it out). Causeway runs with the launcher's JVM options
  * ({@link JvmOptions}) unless {@code --jvm-options} says otherwise.
  *
  * <p>Run as root: {@code java -cp causeway.jar io.causeway.lab.ManySasBench [--sas N] [--separate-ike]
  * [--iperf-seconds N] [--no-baseline] [--jar PATH] [--jvm-options "OPTIONS"] [--keep-logs]}.
  */
public final class ManySasBench {
    public static final int MAX_SAS = 10_000;
    private static final String SUITE = ThroughputBench.SUITE;
    private static final String IKE_PROPOSAL = ThroughputBench.IKE_PROPOSAL;
    private static final Duration STATUS_PERIOD = Duration.ofMillis(500);
    private static final Duration PING_DEADLINE = Duration.ofSeconds(15);

    /** iperfSeconds 0: no iperf3 (and no RSS under load). */
    public record Settings(int sas, boolean separateIke, int iperfSeconds, boolean baseline, CausewayLauncher launcher,
            Path logDir) {}

    /** One daemon's figures; peakRssKib is 0 without iperf3. */
    public record Side(long rssKib, long rssAfterGcKib, JvmHeap heap, int threads, long peakRssKib) {}

    /**
      * One run of N tunnels: how many IKE SAs carry them (west's count), the time from starting west to its READY
      * and to every tunnel up at both ends, iperf3 through the last pair (NaN without), both daemons; or why not.
      */
    public record Measurement(int tunnels, int ikeSas, double readyMillis, double upMillis, double mbitPerSecond,
            Side west, Side east, String failure) {
        static Measurement failed(int tunnels, String why) {
            return new Measurement(tunnels, 0, Double.NaN, Double.NaN, Double.NaN, null, null, why);
        }

        public boolean succeeded() {
            return failure == null;
        }
    }

    /** baseline is null when it was not asked for. */
    public record Results(Settings settings, Measurement many, Measurement baseline) {
        public String table() {
            StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "CHILD_SAs between two Causeway daemons"
                    + " (%s): IKEv2 PSK %s, ESP %s, raw ESP, no NAT%n", settings.separateIke() ? "an IKE SA each"
                    : "one IKE SA", IKE_PROPOSAL, SUITE));
            if (settings.launcher() != null) {
                List<String> jvm = settings.launcher().jvmOptions();
                out.append("  Causeway JVM options: ").append(jvm.isEmpty() ? "none (the JVM's defaults)"
                        : String.join(" ", jvm)).append(System.lineSeparator());
            }
            out.append(String.format(Locale.ROOT, "  ready / all up: from starting west to its READY / to every tunnel"
                    + " CONNECTED at both%n  RSS MiB: idle, after a full GC%s; heap and metaspace MiB used after the"
                    + " full GC%n  (heap: used / committed)%n%s",
                    settings.iperfSeconds() > 0 ? " and the highest under iperf3" : "",
                    settings.iperfSeconds() > 0 ? String.format(Locale.ROOT, "  iperf3: %d s, one TCP stream through"
                            + " the last pair%n", settings.iperfSeconds()) : ""));
            out.append(String.format(Locale.ROOT, "  %7s %7s %7s %8s %9s  %-4s %6s %8s %8s %9s %9s %7s%n", "tunnels",
                    "IKE SAs", "ready s", "all up s", "Mbit/s", "side", "RSS", "after GC", "iperf3", "heap",
                    "metaspace", "threads"));
            for (Measurement m : baseline == null ? List.of(many) : List.of(many, baseline)) {
                row(out, m);
            }
            for (Measurement m : baseline == null ? List.of(many) : List.of(many, baseline)) {
                BenchRun.appendFailure(out, m.succeeded(), m.tunnels() + " tunnel(s)", m.failure());
            }
            return out.toString();
        }

        private static void row(StringBuilder out, Measurement m) {
            if (!m.succeeded()) {
                out.append(String.format(Locale.ROOT, "  %7d %7s%n", m.tunnels(), "FAILED"));
                return;
            }
            String lead = String.format(Locale.ROOT, "  %7d %7d %7.1f %8.1f %9s", m.tunnels(), m.ikeSas(),
                    m.readyMillis() / 1000, m.upMillis() / 1000,
                    Double.isNaN(m.mbitPerSecond()) ? "-" : String.format(Locale.ROOT, "%.1f", m.mbitPerSecond()));
            out.append(lead).append("  ").append(side("west", m.west())).append(System.lineSeparator());
            out.append(" ".repeat(lead.length())).append("  ").append(side("east", m.east()))
                    .append(System.lineSeparator());
        }

        private static String side(String name, Side s) {
            return String.format(Locale.ROOT, "%-4s %6s %8s %8s %9s %9s %7d", name, mib(s.rssKib()),
                    mib(s.rssAfterGcKib()), s.peakRssKib() > 0 ? mib(s.peakRssKib()) : "-",
                    mib(s.heap().usedKib()) + " / " + mib(s.heap().committedKib()), mib(s.heap().metaspaceUsedKib()),
                    s.threads());
        }

        private static String mib(long kib) {
            return String.format(Locale.ROOT, "%.0f", kib / 1024.0);
        }
    }

    private ManySasBench() {}

    public static Results run(Settings settings) {
        Measurement many = measure(settings, settings.sas());
        Measurement baseline = settings.baseline() ? measure(settings, 1) : null;
        return new Results(settings, many, baseline);
    }

    private static Measurement measure(Settings settings, int sas) {
        try (Topology topology = Topology.create(RunPrefix.next(), false)) {
            CausewayLauncher launcher = settings.launcher() != null ? settings.launcher() : CausewayLauncher.locate();
            Path dir = Files2.freshDir(settings.logDir().resolve(sas + "-tunnels"));
            int last = sas - 1;
            if (last > 0) { // the topology has s0's hosts already
                topology.west().ip("addr", "add", westHost(last) + "/32", "dev", "lo");
                topology.east().ip("addr", "add", eastHost(last) + "/32", "dev", "lo");
            }
            Path westConf = dir.resolve("west.conf");
            Files2.write(westConf, conf(true, sas, settings.separateIke()));
            Path eastConf = dir.resolve("east.conf");
            Files2.write(eastConf, conf(false, sas, settings.separateIke()));
            Path secrets = dir.resolve("ipsec.secrets");
            Files2.write(secrets, ": PSK \"" + SwanctlConf.LAB_PSK + "\"\n");
            Duration upDeadline = upDeadline(sas);
            // one peer starting N IKE SAs at once is what block_threshold and the per-source IKE_SA_INIT rate refuse
            // from strangers; here it is the trusted peer whose cost is measured, so east lets it through
            List<String> eastOptions = settings.separateIke()
                    ? List.of("--block-threshold", "0", "--init-rate-per-source", "0") : List.of();
            try (CausewayProcess east = CausewayProcess.startDaemon(topology.east(), launcher, eastConf, secrets,
                    dir.resolve("east.sock").toString(), dir.resolve("east.log"), CausewayProcess.DEFAULT_READY_DEADLINE,
                    eastOptions)) {
                long start = System.nanoTime();
                try (CausewayProcess west = CausewayProcess.startDaemon(topology.west(), launcher, westConf, secrets,
                        dir.resolve("west.sock").toString(), dir.resolve("west.log"), upDeadline)) {
                    double ready = (System.nanoTime() - start) / 1e6;
                    try {
                        Path westSocket = Path.of(west.socket());
                        Path eastSocket = Path.of(east.socket());
                        Poll.require(upDeadline, STATUS_PERIOD, sas + " tunnels CONNECTED at west and east",
                                () -> connected(westSocket) == sas && connected(eastSocket) == sas);
                        double up = (System.nanoTime() - start) / 1e6;
                        if (!Ping.awaitReply(topology.west(), westHost(last), eastHost(last), PING_DEADLINE)) {
                            throw new LabException("no ping reply from " + westHost(last) + " to " + eastHost(last)
                                    + " through s" + last + " within " + PING_DEADLINE.toSeconds() + " s");
                        }
                        int ikeSas = ikeSas(westSocket);
                        long westRss = BenchRun.rssKib(west.pid());
                        long eastRss = BenchRun.rssKib(east.pid());
                        int westThreads = ProcessVitals.of(west.pid()).threads();
                        int eastThreads = ProcessVitals.of(east.pid()).threads();
                        JvmHeap westHeap = JvmHeap.afterFullGc(west.pid());
                        JvmHeap eastHeap = JvmHeap.afterFullGc(east.pid());
                        long westAfterGc = BenchRun.rssKib(west.pid());
                        long eastAfterGc = BenchRun.rssKib(east.pid());
                        double mbit = Double.NaN;
                        List<Long> peak = List.of(0L, 0L);
                        if (settings.iperfSeconds() > 0) {
                            try (RssSampler sampler = RssSampler.start(List.of(west.pid(), east.pid()))) {
                                mbit = Iperf3.measure(topology.east(), eastHost(last), topology.west(), westHost(last),
                                        settings.iperfSeconds(), dir).mbitPerSecond();
                                peak = sampler.stop();
                            }
                        }
                        return new Measurement(sas, ikeSas, ready, up, mbit,
                                new Side(westRss, westAfterGc, westHeap, westThreads, peak.get(0)),
                                new Side(eastRss, eastAfterGc, eastHeap, eastThreads, peak.get(1)), null);
                    } catch (RuntimeException e) {
                        throw new LabException(e.getMessage()
                                + BenchRun.tail("west log (tail)" + BenchRun.exited(west), west.log())
                                + BenchRun.tail("east log (tail)" + BenchRun.exited(east), east.log()), e);
                    }
                }
            }
        } catch (RuntimeException e) {
            return Measurement.failed(sas, e.getMessage());
        }
    }

    /** A minute, and 200 ms more per tunnel: CREATE_CHILD_SAs go one at a time on the shared IKE SA. */
    static Duration upDeadline(int sas) {
        return Duration.ofSeconds(60).plusMillis(200L * sas);
    }

    /** West's subnet of pair i. */
    static String westSubnet(int i) {
        return "10." + (1 + 2 * (i / 256)) + "." + (i % 256) + ".0/24";
    }

    static String eastSubnet(int i) {
        return "10." + (2 + 2 * (i / 256)) + "." + (i % 256) + ".0/24";
    }

    static String westHost(int i) {
        return westSubnet(i).replace(".0/24", ".1");
    }

    static String eastHost(int i) {
        return eastSubnet(i).replace(".0/24", ".1");
    }

    /** One side's ipsec.conf: what all connections share in %default, then one conn sI per pair. */
    static String conf(boolean west, int sas, boolean separateIke) {
        String me = west ? "west" : "east";
        String peer = west ? "east" : "west";
        StringBuilder out = new StringBuilder()
                .append("conn %default\n")
                .append("    keyexchange=ikev2\n    authby=psk\n")
                .append("    left=").append(west ? Topology.WEST_PUBLIC_V4 : Topology.EAST_PUBLIC_V4).append('\n')
                .append("    right=").append(west ? Topology.EAST_PUBLIC_V4 : Topology.WEST_PUBLIC_V4).append('\n')
                .append("    ike=").append(IKE_PROPOSAL).append("!\n    esp=").append(SUITE).append("!\n")
                .append("    auto=").append(west ? "start" : "add").append('\n');
        if (!separateIke) {
            out.append("    leftid=").append(me).append(".example\n    rightid=").append(peer).append(".example\n");
        }
        for (int i = 0; i < sas; i++) {
            out.append("\nconn s").append(i).append('\n')
                    .append("    leftsubnet=").append(west ? westSubnet(i) : eastSubnet(i)).append('\n')
                    .append("    rightsubnet=").append(west ? eastSubnet(i) : westSubnet(i)).append('\n');
            if (separateIke) {
                out.append("    leftid=").append(me).append('-').append(i).append(".example\n")
                        .append("    rightid=").append(peer).append('-').append(i).append(".example\n");
            }
        }
        return out.toString();
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

    private static int connected(Path socket) {
        return (int) tunnels(socket).stream().filter(t -> "CONNECTED".equals(t.get("state"))).count();
    }

    /** The distinct IKE SAs (by initiator SPI) the tunnels name. */
    private static int ikeSas(Path socket) {
        Set<Object> spis = new HashSet<>();
        for (Map<String, Object> t : tunnels(socket)) {
            if (t.get("ike") instanceof Map<?, ?> ike) {
                spis.add(ike.get("spi_i"));
            }
        }
        return spis.size();
    }

    public static void main(String[] args) {
        int sas = 1000;
        boolean separateIke = false;
        int iperfSeconds = 5;
        boolean baseline = true;
        BenchOptions options = new BenchOptions();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--sas" -> sas = Integer.parseInt(args[++i]);
                case "--separate-ike" -> separateIke = true;
                case "--iperf-seconds" -> iperfSeconds = Integer.parseInt(args[++i]);
                case "--no-baseline" -> baseline = false;
                default -> i = options.parse(args, i, "ManySasBench [--sas N] [--separate-ike] [--iperf-seconds N]"
                        + " [--no-baseline] " + BenchOptions.commonUsage());
            }
        }
        if (sas < 1 || sas > MAX_SAS) {
            System.err.println("--sas must be between 1 and " + MAX_SAS);
            System.exit(2);
        }
        List<String> tools = new ArrayList<>(List.of("ip", "ping", "nsenter", "unshare"));
        if (iperfSeconds > 0) {
            tools.addAll(List.of("iperf3", "ss"));
        }
        Path logDir = BenchRun.prepare("ManySasBench", "manysas", tools);
        CausewayLauncher launcher = options.launcher() != null ? options.launcher() : CausewayLauncher.locate();
        Results results = run(new Settings(sas, separateIke, iperfSeconds, baseline, launcher, logDir));
        boolean failed = !results.many().succeeded() || results.baseline() != null && !results.baseline().succeeded();
        BenchRun.finish(results.table(), failed, options.keepLogs, logDir);
    }
}
