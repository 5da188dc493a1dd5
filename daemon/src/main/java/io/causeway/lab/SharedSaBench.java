package io.causeway.lab;

import io.causeway.daemon.control.ControlClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
  * Many subnet pairs to one peer on one IKE SA: the time from asking for all of them to all carrying traffic, with
  * Causeway and with strongSwan as initiator in one run, each against a strongSwan responder that holds one
  * connection with a child per pair (10.1.i.0/24 === 10.2.i.0/24; IKEv2 PSK, ike aes128-sha256-ecp256, esp
  * aes128gcm16, no NAT), as seed 003's 50 peer ranges would be configured:
  *
  * <ol>
  *   <li>strongSwan initiator: the same connection and children with start_action=start, timed from
  *       {@code swanctl --load-all} to every child INSTALLED in {@code --list-sas};
  *   <li>Causeway initiator: one conn per pair (auto=add, one IKE group), timed from the first of the N {@code up}
  *       requests sent over the control socket to every tunnel CONNECTED in status; its resident memory then.
  * </ol>
  *
  * Between runs both sides are torn down to no SAs; unmeasured warm-up rounds come first (a gateway has normally
 * negotiated before). Medians, min and max, and the ratio of medians.
  *
  * <p>Run as root: {@code java -cp causeway.jar io.causeway.lab.SharedSaBench [--pairs N] [--runs N] [--warmup N]
  * [--only strongswan|causeway] [--jar PATH] [--jvm-options "OPTIONS"] [--keep-logs]}.
  */
public final class SharedSaBench {
    private static final String SUITE = ThroughputBench.SUITE;
    private static final String IKE_PROPOSAL = ThroughputBench.IKE_PROPOSAL;
    private static final Duration UP_DEADLINE = Duration.ofSeconds(120);
    private static final Duration SETTLE_DEADLINE = Duration.ofSeconds(30);

    public record Settings(int pairs, int runs, int warmups, boolean strongSwan, boolean causeway, CausewayLauncher launcher,
            Path logDir) {}

    /** One initiator's runs in milliseconds, the daemon's RSS in KiB after its last run (0 for strongSwan). */
    public record Measurement(String name, List<Double> millis, long rssKib, String failure) {
        static Measurement failed(String name, String why) {
            return new Measurement(name, List.of(), 0, why);
        }

        boolean succeeded() {
            return failure == null && !millis.isEmpty();
        }

        double median() {
            return BenchRun.median(millis);
        }
    }

    public record Results(Settings settings, Measurement strongSwan, Measurement causeway) {
        public String table() {
            StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%d subnet pairs on one IKE SA, from asking"
                    + " for all to all up, %d run(s) after %d warm-up; responder strongSwan (one connection, %d children); IKEv2 PSK %s,"
                    + " ESP %s%n", settings.pairs(), settings.runs(), settings.warmups(), settings.pairs(), IKE_PROPOSAL, SUITE));
            out.append(String.format(Locale.ROOT, "  %-44s %9s %9s %9s %9s%n", "initiator", "median ms", "min", "max",
                    "RSS MiB"));
            for (Measurement m : List.of(strongSwan, causeway)) {
                if (!m.succeeded()) {
                    out.append(String.format(Locale.ROOT, "  %-44s %9s%n", m.name(),
                            BenchRun.SKIPPED.equals(m.failure()) ? BenchRun.SKIPPED : "FAILED"));
                    continue;
                }
                out.append(String.format(Locale.ROOT, "  %-44s %9.0f %9.0f %9.0f %9s%n", m.name(), m.median(),
                        m.millis().stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN),
                        m.millis().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN),
                        m.rssKib() > 0 ? String.format(Locale.ROOT, "%.0f", m.rssKib() / 1024.0) : "-"));
            }
            if (strongSwan.succeeded() && causeway.succeeded()) {
                out.append(String.format(Locale.ROOT, "  %-44s %9.2f%n", "ratio Causeway/strongSwan",
                        causeway.median() / strongSwan.median()));
            }
            for (Measurement m : List.of(strongSwan, causeway)) {
                BenchRun.appendFailure(out, m.succeeded(), m.name(), m.failure());
            }
            return out.toString();
        }
    }

    private SharedSaBench() {}

    public static Results run(Settings s) {
        String swanName = "strongSwan (start_action=start, " + s.pairs() + " children)";
        String cwName = "Causeway   (" + s.pairs() + " x up over the socket)";
        Measurement swan = s.strongSwan() ? strongSwanInitiator(s, swanName) : Measurement.failed(swanName, BenchRun.SKIPPED);
        Measurement cw = s.causeway() ? causewayInitiator(s, cwName) : Measurement.failed(cwName, BenchRun.SKIPPED);
        return new Results(s, swan, cw);
    }

    /** Each run a fresh west charon, timed from loading its configuration (which starts every child) on. */
    private static Measurement strongSwanInitiator(Settings s, String name) {
        try (Topology t = hosts(Topology.create(RunPrefix.next(), false), s.pairs());
                StrongSwan east = StrongSwan.startAndLoad(t.east(), swanctl(t, s.pairs(), false))) {
            List<Double> millis = new ArrayList<>();
            for (int run = -s.warmups(); run < s.runs(); run++) {
                try (StrongSwan west = StrongSwan.start(t.west(), swanctl(t, s.pairs(), true))) {
                    try {
                        long start = System.nanoTime();
                        west.load();
                        Poll.require(UP_DEADLINE, s.pairs() + " children installed at west",
                                () -> installed(west.listSas()) == s.pairs());
                        if (run >= 0) {
                            millis.add((System.nanoTime() - start) / 1e6);
                        }
                    } catch (RuntimeException e) {
                        throw new LabException(e.getMessage() + BenchRun.tail("west charon log (tail)", west.log())
                                + BenchRun.tail("east charon log (tail)", east.log()), e);
                    }
                }
                Poll.require(SETTLE_DEADLINE, "no SAs left at east", () -> !east.listSas().contains("ESTABLISHED"));
            }
            return new Measurement(name, millis, 0, null);
        } catch (RuntimeException e) {
            return Measurement.failed(name, e.getMessage());
        }
    }

    private static Measurement causewayInitiator(Settings s, String name) {
        try (Topology t = hosts(Topology.create(RunPrefix.next(), false), s.pairs())) {
            CausewayLauncher launcher = s.launcher() != null ? s.launcher() : CausewayLauncher.locate();
            Path dir = Files2.freshDir(s.logDir().resolve("causeway"));
            Path config = dir.resolve("ipsec.conf");
            Files2.write(config, causewayConf(t, s.pairs()));
            Path secrets = dir.resolve("ipsec.secrets");
            Files2.write(secrets, "west.example east.example : PSK \"" + SwanctlConf.LAB_PSK + "\"\n");
            try (StrongSwan east = StrongSwan.startAndLoad(t.east(), swanctl(t, s.pairs(), false));
                    CausewayProcess west = CausewayProcess.startDaemon(t.west(), launcher, config, secrets,
                            dir.resolve("west.sock").toString(), dir.resolve("west.log"),
                            CausewayProcess.DEFAULT_READY_DEADLINE)) {
                Path control = Path.of(west.socket());
                List<Double> millis = new ArrayList<>();
                long rss = 0;
                try {
                for (int run = -s.warmups(); run < s.runs(); run++) {
                    long start = System.nanoTime();
                    for (int i = 0; i < s.pairs(); i++) {
                        Map<String, Object> accepted = ControlClient.call(control, Map.of("cmd", "up", "name", "p" + i));
                        if (!Boolean.TRUE.equals(accepted.get("ok"))) {
                            throw new LabException("up p" + i + ": " + accepted.get("error"));
                        }
                    }
                    Poll.require(UP_DEADLINE, s.pairs() + " tunnels CONNECTED", () -> connected(control) == s.pairs());
                    if (run >= 0) {
                        millis.add((System.nanoTime() - start) / 1e6);
                    }
                    rss = BenchRun.rssKib(west.pid());
                    for (int i = 0; i < s.pairs(); i++) {
                        ControlClient.call(control, Map.of("cmd", "down", "name", "p" + i));
                    }
                    Poll.require(SETTLE_DEADLINE, "no SAs left at east", () -> !east.listSas().contains("ESTABLISHED"));
                }
                } catch (RuntimeException e) {
                    throw new LabException(e.getMessage() + BenchRun.tail("west log (tail)" + BenchRun.exited(west),
                            west.log()) + BenchRun.tail("east charon log (tail)", east.log()), e);
                }
                return new Measurement(name, millis, rss, null);
            }
        } catch (Exception e) {
            return Measurement.failed(name, e.getMessage());
        }
    }

    /**
     * A host in each subnet of both sides (10.1.i.1, 10.2.i.1 on lo): strongSwan's kernel-libipsec installs a route
     * per child with a source address inside its local_ts and refuses the child without one.
     */
    private static Topology hosts(Topology t, int pairs) {
        for (int i = 1; i < pairs; i++) {
            t.west().ip("addr", "add", "10.1." + i + ".1/32", "dev", "lo");
            t.east().ip("addr", "add", "10.2." + i + ".1/32", "dev", "lo");
        }
        return t;
    }

    @SuppressWarnings("unchecked")
    private static int connected(Path control) {
        try {
            Map<String, Object> status = ControlClient.call(control, Map.of("cmd", "status"));
            return (int) ((List<Map<String, Object>>) status.get("tunnels")).stream()
                    .filter(t -> "CONNECTED".equals(t.get("state"))).count();
        } catch (Exception e) {
            return -1;
        }
    }

    private static int installed(String listSas) {
        return (int) SwanSas.parse(listSas).ikeSas().stream().flatMap(ike -> ike.children().stream())
                .filter(SwanSas.ChildSa::installed).count();
    }

    static String causewayConf(Topology t, int pairs) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < pairs; i++) {
            out.append("conn p").append(i).append('\n')
                    .append("    keyexchange=ikev2\n    authby=psk\n")
                    .append("    left=").append(t.westOuterV4()).append("\n    leftid=west.example\n")
                    .append("    leftsubnet=10.1.").append(i).append(".0/24\n")
                    .append("    right=").append(t.eastOuterV4()).append("\n    rightid=east.example\n")
                    .append("    rightsubnet=10.2.").append(i).append(".0/24\n")
                    .append("    ike=").append(IKE_PROPOSAL).append("!\n    esp=").append(SUITE).append("!\n")
                    .append("    auto=add\n");
        }
        return out.toString();
    }

    /** One connection "peer" with a child per pair; west's side initiates every child when loaded. */
    static String swanctl(Topology t, int pairs, boolean west) {
        String me = west ? "west.example" : "east.example";
        String peer = west ? "east.example" : "west.example";
        StringBuilder out = new StringBuilder("connections {\n  peer {\n    version = 2\n")
                .append("    local_addrs = ").append(west ? t.westOuterV4() : t.eastOuterV4()).append('\n')
                .append("    remote_addrs = ").append(west ? t.eastOuterV4() : t.westOuterV4()).append('\n')
                .append("    proposals = ").append(IKE_PROPOSAL).append('\n')
                .append("    local {\n      auth = psk\n      id = ").append(me).append("\n    }\n")
                .append("    remote {\n      auth = psk\n      id = ").append(peer).append("\n    }\n")
                .append("    children {\n");
        for (int i = 0; i < pairs; i++) {
            out.append("      p").append(i).append(" {\n")
                    .append("        local_ts = 10.").append(west ? 1 : 2).append('.').append(i).append(".0/24\n")
                    .append("        remote_ts = 10.").append(west ? 2 : 1).append('.').append(i).append(".0/24\n")
                    .append("        esp_proposals = ").append(SUITE).append('\n')
                    .append("        start_action = ").append(west ? "start" : "none").append("\n      }\n");
        }
        out.append("    }\n  }\n}\nsecrets {\n  ike-lab {\n    id-local = ").append(me).append("\n    id-remote = ")
                .append(peer).append("\n    secret = \"").append(SwanctlConf.LAB_PSK).append("\"\n  }\n}\n");
        return out.toString();
    }

    public static void main(String[] args) {
        int pairs = 50;
        int runs = 3;
        int warmups = 1;
        BenchOptions options = new BenchOptions();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--pairs" -> pairs = Integer.parseInt(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--warmup" -> warmups = Integer.parseInt(args[++i]);
                default -> i = options.parse(args, i, "SharedSaBench [--pairs N] [--runs N] [--warmup N]"
                        + " [--only strongswan|causeway] " + BenchOptions.commonUsage());
            }
        }
        if (pairs < 1 || pairs > 250) {
            System.err.println("--pairs must be between 1 and 250");
            System.exit(2);
        }
        Path logDir = BenchRun.prepare("SharedSaBench", "sharedsa", List.of("ip", "nsenter", "unshare", "charon"));
        Results results = run(new Settings(pairs, runs, warmups, options.strongSwan, options.causeway, options.launcher(), logDir));
        boolean failed = options.strongSwan && !results.strongSwan().succeeded()
                || options.causeway && !results.causeway().succeeded();
        BenchRun.finish(results.table(), failed, options.keepLogs, logDir);
    }
}
