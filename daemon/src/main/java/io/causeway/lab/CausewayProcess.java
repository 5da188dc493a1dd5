package io.causeway.lab;

import io.causeway.daemon.control.ControlClient;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
  * A Causeway {@code static-tunnel} data plane running in a namespace. It is ready when it prints
  * a line {@code READY} (TUN, routes and sockets up); close sends SIGTERM, then SIGKILL.
  */
public final class CausewayProcess implements AutoCloseable {
    public static final Duration DEFAULT_READY_DEADLINE = Duration.ofSeconds(30);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    /** Longer than up's default 30 s wait, so its own timeout, not ours, ends a slow negotiation. */
    private static final Duration CLI_TIMEOUT = Duration.ofSeconds(60);

    private final Netns ns;
    private final CausewayLauncher launcher;
    private final Process process;
    private final Path log;
    private final String socket;
    /** Every secret the daemon was given; its log and status outputs are checked for them. */
    private final SecretScan secrets;

    private CausewayProcess(Netns ns, CausewayLauncher launcher, Process process, Path log, String socket,
                            SecretScan secrets) {
        this.ns = ns;
        this.secrets = secrets;
        this.launcher = launcher;
        this.process = process;
        this.log = log;
        this.socket = socket;
    }

    /** Starts {@code causeway daemon} in ns with the given files and waits for READY. */
    public static CausewayProcess startDaemon(Netns ns, CausewayLauncher launcher, Path config, Path secrets,
            String socket, Path log, Duration readyDeadline) {
        return startDaemon(ns, launcher, config, secrets, socket, log, readyDeadline, List.of());
    }

    /**
      * Like {@link #startDaemon(Netns, CausewayLauncher, Path, Path, String, Path, Duration)} with more
      * daemon options, e.g. the hidden {@code --retransmit-timeout 1s --retransmit-tries 2} that find a
      * dead peer in seconds.
      */
    public static CausewayProcess startDaemon(Netns ns, CausewayLauncher launcher, Path config, Path secrets,
            String socket, Path log, Duration readyDeadline, List<String> daemonOptions) {
        List<String> args = new ArrayList<>(List.of("daemon", "--config", config.toString(),
                "--secrets", secrets.toString(), "--socket", socket));
        args.addAll(daemonOptions);
        Process process = ns.spawn(log, launcher.command(args.toArray(String[]::new)), Map.of());
        CausewayProcess causeway = new CausewayProcess(ns, launcher, process, log, socket,
                SecretScan.ofSecretsFile(secrets));
        try {
            causeway.awaitReady(readyDeadline);
            return causeway;
        } catch (RuntimeException e) {
            causeway.close();
            throw e;
        }
    }

    /** The control socket this process answers on. */
    public String socket() {
        return socket;
    }

    /** Starts {@code causeway static-tunnel FILE} in ns and waits for READY. */
    public static CausewayProcess startStaticTunnel(Netns ns, CausewayLauncher launcher, Path propertiesFile,
            Path log, Duration readyDeadline) {
        String socket = readSocket(propertiesFile);
        Process process = ns.spawn(log, launcher.command("static-tunnel", propertiesFile.toString()), Map.of());
        CausewayProcess causeway = new CausewayProcess(ns, launcher, process, log, socket,
                SecretScan.ofKeyProperties(propertiesFile));
        try {
            causeway.awaitReady(readyDeadline);
            return causeway;
        } catch (RuntimeException e) {
            causeway.close();
            throw e;
        }
    }

    public static CausewayProcess startStaticTunnel(Netns ns, Path propertiesFile, Path log) {
        return startStaticTunnel(ns, CausewayLauncher.locate(), propertiesFile, log, DEFAULT_READY_DEADLINE);
    }

    private void awaitReady(Duration deadline) {
        Poll.until(deadline, () -> !process.isAlive() || printedReady());
        if (printedReady()) {
            return;
        }
        String why = process.isAlive() ? "no READY line after " + deadline.toMillis() + " ms"
                : "exited with code " + process.exitValue() + " before READY";
        LabException failed = new LabException("Causeway in " + ns.name() + " " + why + " ("
                + process.info().commandLine().orElse("causeway") + ")\n--- log ---\n" + log());
        secrets.checkThrown(failed, "the start of Causeway in " + ns.name());
        throw failed;
    }

    private boolean printedReady() {
        return log().lines().anyMatch(line -> line.strip().equals("READY"));
    }

    /** {@code causeway COMMAND ARGS --socket PATH}: a CLI command aimed at this daemon. */
    public List<String> cliCommand(String command, String... args) {
        List<String> all = new ArrayList<>();
        all.add(command);
        all.addAll(List.of(args));
        all.add("--socket");
        all.add(socket);
        return launcher.command(all.toArray(String[]::new));
    }

    /** {@code causeway up NAME [OPTIONS]} in the same namespace; it waits for CONNECTED unless told not to. */
    public ExecResult up(String name, String... options) {
        return cli("up", name, options);
    }

    /** {@code causeway down NAME [OPTIONS]} in the same namespace. */
    public ExecResult down(String name, String... options) {
        return cli("down", name, options);
    }

    private ExecResult cli(String command, String name, String... options) {
        List<String> args = new ArrayList<>(List.of(name));
        args.addAll(List.of(options));
        String where = "`causeway " + command + "` of " + ns.name();
        ExecResult r = secrets.guardedUnchecked(where,
                () -> ns.exec(CLI_TIMEOUT, cliCommand(command, args.toArray(String[]::new)), null));
        secrets.check(r.stdout() + r.stderr(), where);
        return r;
    }

    /** {@code causeway status --json --socket PATH}, run in the same namespace. */
    public ExecResult status() {
        String where = "`causeway status --json` of " + ns.name();
        ExecResult r = secrets.guardedUnchecked(where,
                () -> ns.exec(Duration.ofSeconds(30), launcher.command("status", "--json", "--socket", socket), null));
        secrets.check(r.stdout() + r.stderr(), where);
        return r;
    }

    /**
     * One request to the control socket straight from the test JVM (a Unix socket is a file, not bound to a
     * namespace), e.g. {@code {"cmd":"status"}}; the answer and anything thrown are checked for secrets.
     */
    public Map<String, Object> control(Map<String, Object> request) throws Exception {
        String where = "the control socket's answer to " + request.get("cmd") + " of " + ns.name();
        Map<String, Object> answer = secrets.guarded(where, () -> ControlClient.call(Path.of(socket), request));
        secrets.check(String.valueOf(answer), where);
        return answer;
    }

    /** GET /metrics from inside the namespace at host:port (the daemon's --metrics); the text, checked for secrets. */
    public String metrics(String hostPort) {
        String where = "the metrics scrape of " + ns.name();
        ExecResult r = secrets.guardedUnchecked(where, () -> ns.exec(Duration.ofSeconds(15), "curl", "-sS", "--fail",
                "--max-time", "10", "http://" + hostPort + "/metrics").orThrow());
        secrets.check(r.stdout(), where);
        return r.stdout();
    }

    /** Checks text a test is about to surface about this daemon (an assertion's message, say) for its secrets. */
    public void checkSecrets(String text, String where) {
        secrets.check(text, where);
    }

    public String log() {
        return Files2.readOrEmpty(log);
    }

    public boolean alive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /**
      * SIGKILL, as a crash or the OOM killer would end it: no DELETE goes out and nothing is cleaned up, so its
      * control socket file, and whatever else the kernel does not take with the process, stay behind. The log is
      * checked for secrets as at {@link #close()}.
      */
    public void kill() {
        process.destroyForcibly();
        if (!Poll.until(STOP_GRACE, () -> !process.isAlive())) {
            throw new LabException("Causeway " + process.pid() + " in " + ns.name() + " survived SIGKILL");
        }
        secrets.check(log(), "the daemon log " + log);
    }

    /** SIGTERM, SIGKILL after a grace; then removes the control socket if Causeway left it. */
    @Override
    public void close() {
        Commands.terminate(process.toHandle(), STOP_GRACE);
        try {
            Files.deleteIfExists(Path.of(socket));
        } catch (IOException e) {
            throw new LabException("cannot remove control socket " + socket, e);
        }
        secrets.check(log(), "the daemon log " + log); // the whole log, shutdown included
    }

    private static String readSocket(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new LabException("cannot read " + file, e);
        }
        String socket = properties.getProperty("socket");
        if (socket == null) {
            throw new LabException(file + " has no socket= line");
        }
        return socket;
    }
}
