package io.causeway.lab;

import io.causeway.daemon.control.ControlClient;
import io.causeway.daemon.control.Json;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
  * How long a tunnel takes to carry traffic once asked to come up: the time from starting the
  * initiator's "up" command to the first ping reply through the tunnel, with Causeway and with
  * strongSwan as initiator in one run, each against a strongSwan responder (kernel-libipsec, PSK,
  * no NAT), once per protocol: IKEv2 (ike aes128-sha256-ecp256, esp aes128gcm16) and IKEv1 main
  * mode + quick mode (ike aes128-sha1-modp2048, esp aes128-sha1):
  *
  * <ol>
  *   <li>strongSwan initiator: {@code swanctl --initiate --child net};
  *   <li>Causeway initiator (auto=add): {@code causeway up s2s}, a CLI process of its own (JVM start
  *       included, as a user or script sees it) talking to a running daemon;
  *   <li>the same daemon asked over its control socket by this process (the request {@code causeway
  *       up} sends, without starting a JVM for it): what the daemon itself takes;
  *   <li>the same request over the socket to a Causeway daemon whose responder is a Causeway daemon
  *       too (part {@code pair}).
  * </ol>
  *
  * Before each run ping is already sending an echo request every 10 ms from west's 10.1.0.1 to
  * east's 10.2.0.1 (unroutable until the CHILD_SA installs its route); the figure is the timestamp
  * ping printed (-D) for its first reply minus the moment the up command was started. Between runs
  * the tunnel is torn down and the responder left without SAs; the daemons stay, and one unmeasured
  * round per initiator warms them up first (a gateway has normally negotiated before). Medians, min
  * and max are reported, and the ratio of medians.
  *
  * <p>Run as root: {@code java -cp causeway.jar io.causeway.lab.UpToPingBench [--runs N] [--warmup N]
  * [--ike 2|1|2,1] [--only strongswan|causeway|pair] [--jar PATH] [--jvm-options "OPTIONS"]
  * [--keep-logs]}; {@code --ike} picks the protocols (both by default, one table each).
  */
public final class UpToPingBench {
    public static final String SUITE = ThroughputBench.SUITE;
    public static final String IKE_PROPOSAL = ThroughputBench.IKE_PROPOSAL;
    public static final Duration PING_INTERVAL = Duration.ofMillis(10);
    private static final String STRONGSWAN_NAME = "strongSwan (swanctl --initiate)";
    private static final String CAUSEWAY_NAME = "Causeway   (causeway up)";
    private static final String CAUSEWAY_SOCKET_NAME = "Causeway   (up over the socket)";
    private static final String PAIR_NAME = "Causeway   (socket), to Causeway";
    private static final String SKIPPED = BenchRun.SKIPPED;
    private static final String CONNECTION = "s2s";
    private static final Duration PING_DEADLINE = Duration.ofSeconds(30);
    private static final Duration SETTLE_DEADLINE = Duration.ofSeconds(20);
    private static final Pattern FIRST_REPLY = Pattern.compile("(?m)^\\[(\\d+\\.\\d+)\\] \\d+ bytes from ");

    /** What both ends negotiate: the IKE version and the proposals (strongSwan syntax, which ipsec.conf shares). */
    public record Protocol(int ikeVersion, String ikeProposal, String espProposal) {
        public static final Protocol IKEV2 = new Protocol(2, IKE_PROPOSAL, SUITE);
        /** Main mode (aggressive=no) with quick mode, no PFS; the proposals of IkeV1IT and IkeV1HandshakeBench. */
        public static final Protocol IKEV1 = new Protocol(1, "aes128-sha1-modp2048", "aes128-sha1");

        public String label() {
            return ikeVersion == 1 ? "IKEv1 main mode" : "IKEv2";
        }

        static Protocol of(String version) {
            return switch (version.strip()) {
                case "2" -> IKEV2;
                case "1" -> IKEV1;
                default -> throw new IllegalArgumentException("--ike takes 2, 1 or 2,1, not " + version);
            };
        }
    }

    /** pair: the Causeway-to-Causeway part. */
    public record Settings(int runs, int warmups, boolean strongSwan, boolean causeway, boolean pair,
            CausewayLauncher launcher, Path logDir, Protocol protocol) {
        /** The same settings for another protocol. */
        public Settings with(Protocol other) {
            return new Settings(runs, warmups, strongSwan, causeway, pair, launcher, logDir, other);
        }
    }

    /** One run: up command started → first ping reply, and → up command returned. */
    public record Sample(double firstReplyMillis, double commandMillis) {}

    /** One initiator's runs, or why there are none. */
    public record Measurement(String name, List<Sample> samples, String failure) {
        static Measurement failed(String name, String why) {
            return new Measurement(name, List.of(), why);
        }

        public boolean succeeded() {
            return failure == null && !samples.isEmpty();
        }

        public double medianMillis() {
            return BenchRun.median(samples.stream().map(Sample::firstReplyMillis).toList());
        }

        public double minMillis() {
            return samples.stream().mapToDouble(Sample::firstReplyMillis).min().orElse(Double.NaN);
        }

        public double maxMillis() {
            return samples.stream().mapToDouble(Sample::firstReplyMillis).max().orElse(Double.NaN);
        }

        public double medianCommandMillis() {
            return BenchRun.median(samples.stream().map(Sample::commandMillis).toList());
        }
    }

    public record Results(Settings settings, Measurement strongSwan, Measurement causeway, Measurement causewaySocket,
            Measurement pair) {
        /** Causeway (causeway up) / strongSwan of the medians (above 1: Causeway is slower); NaN unless both ran. */
        public double ratio() {
            return ratio(causeway);
        }

        /** The same for the daemon asked over its socket, without the CLI's JVM start. */
        public double socketRatio() {
            return ratio(causewaySocket);
        }

        /** The same for Causeway initiating over the socket to a Causeway responder. */
        public double pairRatio() {
            return ratio(pair);
        }

        /** Whether every part that was asked for succeeded. */
        public boolean failed() {
            return settings.strongSwan() && !strongSwan.succeeded()
                    || settings.causeway() && !(causeway.succeeded() && causewaySocket.succeeded())
                    || settings.pair() && !pair.succeeded();
        }

        private double ratio(Measurement cw) {
            return strongSwan.succeeded() && cw.succeeded() ? cw.medianMillis() / strongSwan.medianMillis() : Double.NaN;
        }

        public String table() {
            StringBuilder out = new StringBuilder();
            Protocol protocol = settings.protocol();
            out.append(String.format(Locale.ROOT, "Time from starting the up command to the first ping reply through the"
                    + " tunnel, %d run(s) after %d warm-up%n  ping every %d ms %s -> %s; responder strongSwan (last row:"
                    + " Causeway); %s PSK %s, ESP %s%n", settings.runs(), settings.warmups(), PING_INTERVAL.toMillis(),
                    Topology.WEST_HOST_V4, Topology.EAST_HOST_V4, protocol.label(), protocol.ikeProposal(),
                    protocol.espProposal()));
            out.append(String.format(Locale.ROOT, "  %-32s %9s %9s %9s %13s   %s%n", "initiator", "median ms", "min",
                    "max", "cmd returned", "runs (ms)"));
            row(out, strongSwan);
            row(out, causeway);
            row(out, causewaySocket);
            row(out, pair);
            ratioRow(out, "ratio Causeway/strongSwan", ratio());
            ratioRow(out, "  same, over the socket", socketRatio());
            ratioRow(out, "  same, Causeway to Causeway", pairRatio());
            for (Measurement m : List.of(strongSwan, causeway, causewaySocket, pair)) {
                BenchRun.appendFailure(out, m.succeeded(), m.name(), m.failure());
            }
            return out.toString();
        }

        private static void ratioRow(StringBuilder out, String label, double ratio) {
            out.append(String.format(Locale.ROOT, "  %-32s %9s%n", label,
                    Double.isNaN(ratio) ? "n/a" : String.format(Locale.ROOT, "%.2f", ratio)));
        }

        private static void row(StringBuilder out, Measurement m) {
            if (!m.succeeded()) {
                out.append(String.format(Locale.ROOT, "  %-32s %9s%n", m.name(),
                        SKIPPED.equals(m.failure()) ? SKIPPED : "FAILED"));
                return;
            }
            String runs = m.samples().stream().map(s -> String.format(Locale.ROOT, "%.0f", s.firstReplyMillis()))
                    .toList().toString();
            out.append(String.format(Locale.ROOT, "  %-32s %9.0f %9.0f %9.0f %13.0f   %s%n", m.name(), m.medianMillis(),
                    m.minMillis(), m.maxMillis(), m.medianCommandMillis(), runs));
        }
    }

    private UpToPingBench() {}

    /** The parts settings asks for, with settings' protocol. */
    public static Results run(Settings settings) {
        Measurement swan = settings.strongSwan() ? strongSwanInitiator(settings)
                : Measurement.failed(STRONGSWAN_NAME, SKIPPED);
        List<Measurement> cw = settings.causeway() ? causewayInitiator(settings)
                : List.of(Measurement.failed(CAUSEWAY_NAME, SKIPPED), Measurement.failed(CAUSEWAY_SOCKET_NAME, SKIPPED));
        Measurement pair = settings.pair() ? causewayPair(settings) : Measurement.failed(PAIR_NAME, SKIPPED);
        return new Results(settings, swan, cw.get(0), cw.get(1), pair);
    }

    static Measurement strongSwanInitiator(Settings settings) {
        Protocol protocol = settings.protocol();
        try (Topology topology = Topology.create(RunPrefix.next(), false)) {
            Path dir = Files2.freshDir(settings.logDir().resolve("strongswan-ikev" + protocol.ikeVersion()));
            String west = SwanctlConf.westInitiator(topology).version(protocol.ikeVersion())
                    .proposals(protocol.ikeProposal()).espProposals(protocol.espProposal()).build();
            try (StrongSwan eastSwan = responder(topology, protocol);
                      StrongSwan westSwan = StrongSwan.startAndLoad(topology.west(), west)) {
                try {
                    List<Sample> samples = new ArrayList<>();
                    for (int i = -settings.warmups(); i < settings.runs(); i++) {
                        Sample sample = once(topology, dir, "swanctl-" + i, () -> westSwan.initiate(SwanctlConf.DEFAULT_CHILD));
                        if (i >= 0) samples.add(sample);
                        westSwan.swanctl("--terminate", "--ike", SwanctlConf.DEFAULT_CONNECTION).orThrow();
                        awaitNoSas(westSwan);
                        awaitNoSas(eastSwan);
                    }
                    return new Measurement(STRONGSWAN_NAME, List.copyOf(samples), null);
                } catch (RuntimeException e) {
                    throw new LabException(e.getMessage() + BenchRun.tail("west charon log (tail)", westSwan.log())
                            + BenchRun.tail("east charon log (tail)", eastSwan.log()), e);
                }
            }
        } catch (RuntimeException e) {
            return Measurement.failed(STRONGSWAN_NAME, e.getMessage());
        }
    }

    /** The CLI and the socket variant against one daemon, run alternately; two measurements. */
    static List<Measurement> causewayInitiator(Settings settings) {
        try (Topology topology = Topology.create(RunPrefix.next(), false)) {
            CausewayLauncher launcher = settings.launcher() != null ? settings.launcher() : CausewayLauncher.locate();
            Path dir = Files2.freshDir(settings.logDir().resolve("causeway-ikev" + settings.protocol().ikeVersion()));
            Path config = dir.resolve("ipsec.conf");
            Files2.write(config, causewayConf(topology, settings.protocol()));
            Path secrets = dir.resolve("ipsec.secrets");
            Files2.write(secrets, "west.example east.example : PSK \"" + SwanctlConf.LAB_PSK + "\"\n");
            try (StrongSwan eastSwan = responder(topology, settings.protocol());
                      CausewayProcess west = CausewayProcess.startDaemon(topology.west(), launcher, config, secrets,
                              dir.resolve("west.sock").toString(), dir.resolve("west.log"),
                              CausewayProcess.DEFAULT_READY_DEADLINE)) {
                try {
                    List<Sample> cli = new ArrayList<>();
                    List<Sample> socket = new ArrayList<>();
                    Path control = Path.of(west.socket());
                    for (int i = -settings.warmups(); i < settings.runs(); i++) {
                        Sample viaCli = once(topology, dir, "cli-" + i, () -> west.up(CONNECTION));
                        west.down(CONNECTION).orThrow();
                        awaitNoSas(eastSwan);
                        Sample viaSocket = once(topology, dir, "socket-" + i, () -> upOverSocket(control));
                        west.down(CONNECTION).orThrow();
                        awaitNoSas(eastSwan);
                        if (i >= 0) {
                            cli.add(viaCli);
                            socket.add(viaSocket);
                        }
                    }
                    return List.of(new Measurement(CAUSEWAY_NAME, List.copyOf(cli), null),
                            new Measurement(CAUSEWAY_SOCKET_NAME, List.copyOf(socket), null));
                } catch (RuntimeException e) {
                    throw new LabException(e.getMessage()
                            + BenchRun.tail("west log (tail)" + BenchRun.exited(west), west.log())
                            + BenchRun.tail("east charon log (tail)", eastSwan.log()), e);
                }
            }
        } catch (RuntimeException e) {
            return List.of(Measurement.failed(CAUSEWAY_NAME, e.getMessage()),
                    Measurement.failed(CAUSEWAY_SOCKET_NAME, "see above"));
        }
    }

    /**
      * Part (4): a Causeway daemon initiating (over its socket, as part 3) to a Causeway daemon that
      * responds; between runs the tunnel is taken down from west and east is awaited without it.
      */
    static Measurement causewayPair(Settings settings) {
        try (Topology topology = Topology.create(RunPrefix.next(), false)) {
            CausewayLauncher launcher = settings.launcher() != null ? settings.launcher() : CausewayLauncher.locate();
            Path dir = Files2.freshDir(settings.logDir().resolve("pair-ikev" + settings.protocol().ikeVersion()));
            Path westConf = dir.resolve("west.conf");
            Files2.write(westConf, causewayConf(topology, settings.protocol()));
            Path eastConf = dir.resolve("east.conf");
            Files2.write(eastConf, causewayResponderConf(topology, settings.protocol()));
            Path secrets = dir.resolve("ipsec.secrets");
            Files2.write(secrets, "west.example east.example : PSK \"" + SwanctlConf.LAB_PSK + "\"\n");
            try (CausewayProcess east = CausewayProcess.startDaemon(topology.east(), launcher, eastConf, secrets,
                              dir.resolve("east.sock").toString(), dir.resolve("east.log"),
                              CausewayProcess.DEFAULT_READY_DEADLINE);
                      CausewayProcess west = CausewayProcess.startDaemon(topology.west(), launcher, westConf, secrets,
                              dir.resolve("west.sock").toString(), dir.resolve("west.log"),
                              CausewayProcess.DEFAULT_READY_DEADLINE)) {
                try {
                    List<Sample> samples = new ArrayList<>();
                    Path control = Path.of(west.socket());
                    Path eastControl = Path.of(east.socket());
                    for (int i = -settings.warmups(); i < settings.runs(); i++) {
                        Sample sample = once(topology, dir, "pair-" + i, () -> upOverSocket(control));
                        west.down(CONNECTION).orThrow();
                        Poll.require(SETTLE_DEADLINE, "east without a CONNECTED tunnel", () -> !connected(eastControl));
                        if (i >= 0) samples.add(sample);
                    }
                    return new Measurement(PAIR_NAME, List.copyOf(samples), null);
                } catch (RuntimeException e) {
                    throw new LabException(e.getMessage()
                            + BenchRun.tail("west log (tail)" + BenchRun.exited(west), west.log())
                            + BenchRun.tail("east log (tail)" + BenchRun.exited(east), east.log()), e);
                }
            }
        } catch (RuntimeException e) {
            return Measurement.failed(PAIR_NAME, e.getMessage());
        }
    }

    private static boolean connected(Path control) {
        try {
            Map<String, Object> status = ControlClient.call(control, Map.of("cmd", "status", "name", CONNECTION));
            return Json.write(status).contains("\"state\":\"CONNECTED\"");
        } catch (Exception e) {
            return false;
        }
    }

    /**
      * The daemon's part of {@code causeway up}: the same request over the control socket (a Unix
      * socket file, reachable from outside the namespace), then status polls as the CLI makes them.
      */
    private static ExecResult upOverSocket(Path control) {
        List<String> command = List.of("control-socket", "up", CONNECTION);
        try {
            Map<String, Object> accepted = ControlClient.call(control, Map.of("cmd", "up", "name", CONNECTION));
            if (!Boolean.TRUE.equals(accepted.get("ok"))) {
                return new ExecResult(command, 3, "", String.valueOf(accepted.get("error")), false);
            }
            boolean connected = Poll.until(PING_DEADLINE, Duration.ofMillis(20), () -> connected(control));
            return new ExecResult(command, connected ? 0 : 3, "", connected ? "" : "not CONNECTED", false);
        } catch (Exception e) {
            return new ExecResult(command, 2, "", e.toString(), false);
        }
    }

    private static StrongSwan responder(Topology topology, Protocol protocol) {
        return StrongSwan.startAndLoad(topology.east(), SwanctlConf.eastResponder(topology)
                .version(protocol.ikeVersion()).proposals(protocol.ikeProposal()).espProposals(protocol.espProposal())
                .build());
    }

    /** West's ipsec.conf: the initiator, auto=add (it comes up when asked). */
    static String causewayConf(Topology topology, Protocol protocol) {
        return String.join("\n",
                "conn " + CONNECTION,
                "    keyexchange=ikev" + protocol.ikeVersion(),
                "    left=" + topology.westOuterV4(),
                "    leftid=west.example",
                "    leftsubnet=" + Topology.WEST_SUBNET_V4,
                "    right=" + topology.eastOuterV4(),
                "    rightid=east.example",
                "    rightsubnet=" + Topology.EAST_SUBNET_V4,
                "    authby=psk",
                "    ike=" + protocol.ikeProposal() + "!",
                "    esp=" + protocol.espProposal() + "!",
                "    auto=add",
                "");
    }

    /** East's ipsec.conf for the pair part: the responder, from any address. */
    static String causewayResponderConf(Topology topology, Protocol protocol) {
        return String.join("\n",
                "conn " + CONNECTION,
                "    keyexchange=ikev" + protocol.ikeVersion(),
                "    left=" + topology.eastOuterV4(),
                "    leftid=east.example",
                "    leftsubnet=" + Topology.EAST_SUBNET_V4,
                "    right=%any",
                "    rightid=west.example",
                "    rightsubnet=" + Topology.WEST_SUBNET_V4,
                "    authby=psk",
                "    ike=" + protocol.ikeProposal() + "!",
                "    esp=" + protocol.espProposal() + "!",
                "    auto=add",
                "");
    }

    /**
      * One measurement: ping is already sending when the up command starts (in its own thread, since
      * both commands block until the tunnel is up); the first reply's timestamp ends the measurement.
      */
    private static Sample once(Topology topology, Path dir, String run, Supplier<ExecResult> up) {
        Path pingLog = dir.resolve("ping-" + run + ".log");
        // line-buffered, so the PING banner shows when it starts sending (the -D stamps time the replies)
        Process ping = topology.west().spawn(pingLog, List.of("stdbuf", "-oL", "ping", "-n", "-D",
                "-i", String.format(Locale.ROOT, "%.3f", PING_INTERVAL.toMillis() / 1000.0),
                "-c", "1", "-w", Long.toString(PING_DEADLINE.toSeconds()),
                "-I", topology.westHostV4(), topology.eastHostV4()), Map.of());
        try {
            Poll.require(Duration.ofSeconds(5), "ping to start", () -> Files2.readOrEmpty(pingLog).startsWith("PING"));
            long start = System.currentTimeMillis();
            CompletableFuture<Long> command = CompletableFuture.supplyAsync(() -> {
                up.get().orThrow();
                return System.currentTimeMillis() - start;
            });
            if (!ping.waitFor(PING_DEADLINE.toSeconds() + 5, TimeUnit.SECONDS)) {
                throw new LabException("ping did not finish within " + PING_DEADLINE.toSeconds() + " s");
            }
            long commandMillis = command.get(60, TimeUnit.SECONDS);
            String output = Files2.readOrEmpty(pingLog);
            double replyEpochMillis = firstReplyEpochMillis(output).orElseThrow(
                    () -> new LabException("no ping reply through the tunnel within " + PING_DEADLINE.toSeconds()
                            + " s:\n" + output));
            return new Sample(replyEpochMillis - start, commandMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new LabException("the up command failed: " + cause.getMessage(), cause);
        } finally {
            ping.destroyForcibly();
        }
    }

    /** The -D timestamp (seconds since the epoch, microseconds) of ping's first reply line, in milliseconds. */
    static Optional<Double> firstReplyEpochMillis(String pingOutput) {
        Matcher m = FIRST_REPLY.matcher(pingOutput);
        return m.find() ? Optional.of(Double.parseDouble(m.group(1)) * 1000.0) : Optional.empty();
    }

    private static void awaitNoSas(StrongSwan swan) {
        Poll.require(SETTLE_DEADLINE, "no SAs left in " + swan.netns().name(),
                () -> !swan.listSas().contains("ESTABLISHED"));
    }

    public static void main(String[] args) {
        int runs = 5;
        int warmups = 1;
        List<Protocol> protocols = List.of(Protocol.IKEV2, Protocol.IKEV1);
        BenchOptions options = new BenchOptions("pair");
        String usage = "UpToPingBench [--runs N] [--warmup N] [--ike 2|1|2,1] [--only " + options.partsUsage() + "]"
                + " " + BenchOptions.commonUsage();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--warmup" -> warmups = Integer.parseInt(args[++i]);
                case "--ike" -> {
                    try {
                        protocols = java.util.Arrays.stream(args[++i].split(",")).map(Protocol::of).distinct().toList();
                    } catch (IllegalArgumentException e) {
                        System.err.println(e.getMessage());
                        System.err.println("usage: " + usage);
                        System.exit(2);
                    }
                }
                default -> i = options.parse(args, i, usage);
            }
        }
        Path logDir = BenchRun.prepare("UpToPingBench", "uptoping",
                List.of("ip", "ping", "stdbuf", "nsenter", "unshare", "charon"));

        Settings settings = new Settings(runs, warmups, options.strongSwan, options.causeway, options.runs("pair"),
                options.launcher(), logDir, protocols.get(0));
        List<String> tables = new ArrayList<>();
        boolean failed = false;
        for (Protocol protocol : protocols) {
            Results results = run(settings.with(protocol));
            tables.add(results.table());
            failed |= results.failed();
        }
        BenchRun.finish(String.join("\n", tables), failed, options.keepLogs, logDir);
    }
}
