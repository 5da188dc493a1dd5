package io.causeway.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.lab.CausewayLauncher;
import io.causeway.lab.CausewayProcess;
import io.causeway.lab.Commands;
import io.causeway.lab.ExecResult;
import io.causeway.lab.Netns;
import io.causeway.lab.Poll;
import io.causeway.lab.RunPrefix;
import io.causeway.lab.SwanctlConf;
import io.causeway.lab.Topology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * A `causeway daemon` with one connection, in a lab namespace, for the IKE interop tests: writes its
 * ipsec.conf and ipsec.secrets (the lab PSK for the two ids), reads its status over the control socket, and
 * removes its work dir on close.
 */
final class LabGateway implements AutoCloseable {
    static final Duration DEADLINE = Duration.ofSeconds(30);

    private final CausewayProcess process;
    private final Path dir;
    private final Netns ns;
    private final List<String> daemonOptions;
    /** Set once {@link #restart()} handed the files to a new daemon: this one's close leaves them. */
    private boolean replaced;

    private LabGateway(CausewayProcess process, Path dir, Netns ns, List<String> daemonOptions) {
        this.process = process;
        this.dir = dir;
        this.ns = ns;
        this.daemonOptions = daemonOptions;
    }

    /**
     * Starts the daemon in ns with this connection; ids are taken from its leftid and rightid. daemonOptions go on
     * the command line, e.g. the hidden {@code --retransmit-timeout 1s}.
     */
    static LabGateway start(Netns ns, String prefix, Conn conn, String... daemonOptions) throws Exception {
        return start(ns, prefix, List.of(conn), daemonOptions);
    }

    /** Starts the daemon with several connections; one PSK line per pair of ids. */
    static LabGateway start(Netns ns, String prefix, List<Conn> conns, String... daemonOptions) throws Exception {
        Path dir = Files.createDirectories(RunPrefix.workDir(prefix, "gw-" + ns.name()));
        try {
            StringBuilder text = new StringBuilder();
            Set<String> idPairs = new LinkedHashSet<>();
            for (Conn conn : conns) {
                text.append(conn.text());
                idPairs.add(conn.get("leftid") + " " + conn.get("rightid"));
            }
            StringBuilder psks = new StringBuilder();
            idPairs.forEach(ids -> psks.append(ids).append(" : PSK \"").append(SwanctlConf.LAB_PSK).append("\"\n"));
            Files.writeString(dir.resolve("ipsec.conf"), text);
            Files.writeString(dir.resolve("ipsec.secrets"), psks);
            return new LabGateway(startIn(ns, dir, "daemon.log", List.of(daemonOptions)), dir, ns,
                    List.of(daemonOptions));
        } catch (Exception | AssertionError e) {
            deleteRecursively(dir);
            throw e;
        }
    }

    /**
     * Starts the daemon in ns with an ipsec.conf and ipsec.secrets written as given (for configurations the
     * {@link Conn} helper cannot express, e.g. also= templates or ids without a pair of leftid/rightid).
     */
    static LabGateway startWithFiles(Netns ns, String prefix, String ipsecConf, String ipsecSecrets,
            String... daemonOptions) throws Exception {
        Path dir = Files.createDirectories(RunPrefix.workDir(prefix, "gw-" + ns.name()));
        try {
            Files.writeString(dir.resolve("ipsec.conf"), ipsecConf);
            Files.writeString(dir.resolve("ipsec.secrets"), ipsecSecrets);
            return new LabGateway(startIn(ns, dir, "daemon.log", List.of(daemonOptions)), dir, ns,
                    List.of(daemonOptions));
        } catch (Exception | AssertionError e) {
            deleteRecursively(dir);
            throw e;
        }
    }

    private static CausewayProcess startIn(Netns ns, Path dir, String log, List<String> daemonOptions) {
        return CausewayProcess.startDaemon(ns, CausewayLauncher.locate(), dir.resolve("ipsec.conf"),
                dir.resolve("ipsec.secrets"), dir.resolve("control.sock").toString(), dir.resolve(log), DEADLINE,
                daemonOptions);
    }

    /**
     * SIGKILL, as a crash or the OOM killer: no DELETE, no clean-up; the files, the control socket's included, stay
     * for {@link #restart()}.
     */
    void kill() {
        process.kill();
    }

    /**
     * A new daemon on the same files, control socket and options, as systemd's Restart= would start it, logging to
     * daemon-restarted.log; this one is killed first if it still runs. Close the new one; this one's close then
     * does nothing.
     */
    LabGateway restart() {
        if (process.alive()) {
            process.kill();
        }
        replaced = true;
        return new LabGateway(startIn(ns, dir, "daemon-restarted.log", daemonOptions), dir, ns, daemonOptions);
    }

    /** A request to the daemon's control socket, e.g. {"cmd":"up","name":N}, without starting a CLI process. */
    Map<String, Object> control(Map<String, Object> request) throws Exception {
        return process.control(request);
    }

    /** The connection's entry of `status --json`. */
    @SuppressWarnings("unchecked")
    Map<String, Object> tunnel() throws Exception {
        Map<String, Object> status = process.control(Map.of("cmd", "status"));
        return ((List<Map<String, Object>>) status.get("tunnels")).get(0);
    }

    /** The entry of connection name in `status --json`. */
    @SuppressWarnings("unchecked")
    Map<String, Object> tunnel(String name) throws Exception {
        Map<String, Object> status = process.control(Map.of("cmd", "status"));
        for (Map<String, Object> t : (List<Map<String, Object>>) status.get("tunnels")) {
            if (name.equals(t.get("name"))) {
                return t;
            }
        }
        throw new IllegalStateException("no tunnel " + name + " in " + status);
    }

    /** Polls status until tunnel name is in state, and returns that snapshot. */
    Map<String, Object> awaitState(String name, String state) {
        AtomicReference<Map<String, Object>> seen = new AtomicReference<>();
        boolean reached = Poll.until(DEADLINE, Duration.ofMillis(100), () -> {
            try {
                seen.set(tunnel(name));
                return state.equals(seen.get().get("state"));
            } catch (Exception e) {
                return false;
            }
        });
        assertThat(reached).as("tunnel %s %s within %s; last status %s%n--- causeway log ---%n%s", name, state, DEADLINE,
                seen.get(), log()).isTrue();
        return seen.get();
    }

    /** Polls status until the tunnel is in state; returns that snapshot (state and last_error read together). */
    Map<String, Object> awaitState(String state, Duration deadline) {
        return awaitTunnel("state " + state, deadline, t -> state.equals(t.get("state")));
    }

    Map<String, Object> awaitState(String state) {
        return awaitState(state, DEADLINE);
    }

    /** Polls status until a snapshot of the tunnel satisfies the condition, and returns it. */
    Map<String, Object> awaitTunnel(String what, Duration deadline, Predicate<Map<String, Object>> condition) {
        AtomicReference<Map<String, Object>> seen = new AtomicReference<>();
        boolean reached = Poll.until(deadline, Duration.ofMillis(100), () -> {
            try {
                Map<String, Object> t = tunnel();
                seen.set(t);
                return condition.test(t);
            } catch (Exception e) {
                return false;
            }
        });
        assertThat(reached).as("tunnel %s within %s; last status %s%n--- causeway log ---%n%s", what, deadline,
                seen.get(), log()).isTrue();
        return seen.get();
    }

    /** The current CHILD_SAs of the tunnel in status (during a rekey, old and new). */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> children(Map<String, Object> tunnel) {
        return (List<Map<String, Object>>) tunnel.get("children");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> ike(Map<String, Object> tunnel) {
        return (Map<String, Object>) tunnel.get("ike");
    }

    /** `causeway up NAME` against this daemon. */
    ExecResult up(String name) {
        return process.up(name);
    }

    /** `causeway down NAME` against this daemon. */
    ExecResult down(String name) {
        return process.down(name);
    }

    /** `causeway reload` against this daemon (after a test rewrote {@code workDir()/ipsec.conf}). */
    ExecResult reload() {
        return Commands.run(DEADLINE, process.cliCommand("reload"));
    }

    /** `causeway status`, as the CLI prints it. */
    ExecResult status() {
        return process.status();
    }

    /** The daemon's work dir (config, log, socket): room for a test's own files, removed on close. */
    Path workDir() {
        return dir;
    }

    String log() {
        return process.log();
    }

    /** The daemon's JVM (`ip netns exec` execs it in place), for /proc and jcmd. */
    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.alive();
    }

    /** SIGTERM (the daemon sends DELETE for its IKE SAs), then removes the work dir. */
    @Override
    public void close() {
        if (replaced) {
            return;
        }
        try {
            process.close();
        } finally {
            deleteRecursively(dir);
        }
    }

    static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (var files = Files.walk(root)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** One `conn` section of ipsec.conf, keys in the order given. */
    static final class Conn {
        private final String name;
        private final Map<String, String> settings = new LinkedHashMap<>();

        private Conn(String name) {
            this.name = name;
        }

        static Conn named(String name) {
            return new Conn(name).set("keyexchange", "ikev2").set("authby", "psk");
        }

        /** West (Causeway) to east over the topology, the IPv4 subnets, auto=start; change what you need. */
        static Conn westToEast(Topology t) {
            return named("s2s").set("left", t.westOuterV4()).set("leftid", "west.example")
                    .set("leftsubnet", Topology.WEST_SUBNET_V4)
                    .set("right", t.eastOuterV4()).set("rightid", "east.example")
                    .set("rightsubnet", Topology.EAST_SUBNET_V4).set("auto", "start");
        }

        /** East (Causeway) answering west from any address (so also behind NAT), the IPv4 subnets, auto=add. */
        static Conn eastFromAnywhere(Topology t) {
            return named("s2s").set("left", t.eastOuterV4()).set("leftid", "east.example")
                    .set("leftsubnet", Topology.EAST_SUBNET_V4)
                    .set("right", "%any").set("rightid", "west.example")
                    .set("rightsubnet", Topology.WEST_SUBNET_V4).set("auto", "add");
        }

        Conn set(String key, String value) {
            settings.put(key, value);
            return this;
        }

        String get(String key) {
            return settings.get(key);
        }

        String text() {
            StringBuilder out = new StringBuilder("conn ").append(name).append('\n');
            settings.forEach((k, v) -> out.append("    ").append(k).append('=').append(v).append('\n'));
            return out.toString();
        }

        @Override
        public String toString() {
            return text();
        }
    }
}
