package io.causeway.lab;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
  * One named network namespace. Names always start with the caller's unique run prefix (see
  * {@link RunPrefix}), so parallel runs never touch each other's namespaces and leftovers of a
  * crashed run can be found and removed by prefix alone.
  */
public final class Netns {
    private static final Duration IP_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration KILL_GRACE = Duration.ofSeconds(3);

    private final String name;

    private Netns(String name) {
        this.name = name;
    }

    /** Creates the namespace and brings its loopback up. */
    public static Netns create(String name) {
        Commands.run(IP_TIMEOUT, "ip", "netns", "add", name).orThrow();
        Netns ns = new Netns(name);
        ns.ip("link", "set", "lo", "up");
        return ns;
    }

    /** A handle on an existing namespace (nothing is created). */
    public static Netns existing(String name) {
        return new Netns(name);
    }

    public String name() {
        return name;
    }

    public boolean exists() {
        return list().contains(name);
    }

    /** Runs a command inside the namespace and waits for it, up to timeout. */
    public ExecResult exec(Duration timeout, String... command) {
        return Commands.run(timeout, inside(List.of(command)));
    }

    public ExecResult exec(Duration timeout, List<String> command, String stdin) {
        return Commands.run(timeout, inside(command), stdin, Map.of());
    }

    /** Runs {@code ip ARGS} inside the namespace, failing loudly. */
    public ExecResult ip(String... args) {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        return Commands.run(IP_TIMEOUT, inside(command)).orThrow();
    }

    /** Sets a sysctl inside the namespace (net.* sysctls are per namespace). */
    public void sysctl(String key, String value) {
        exec(IP_TIMEOUT, "sysctl", "-qw", key + "=" + value).orThrow();
    }

    /** Loads an nftables ruleset inside the namespace. */
    public void nft(String ruleset) {
        exec(IP_TIMEOUT, List.of("nft", "-f", "-"), ruleset).orThrow();
    }

    /**
      * Starts a long-running command inside the namespace; stdout and stderr go (appended) to log.
      * {@code ip netns exec} execs the command in place, so the returned Process is the command
      * itself and destroying it signals the command, not a wrapper.
      */
    public Process spawn(Path log, List<String> command, Map<String, String> env) {
        ProcessBuilder builder = new ProcessBuilder(inside(command));
        builder.environment().putAll(env);
        builder.redirectErrorStream(true);
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        try {
            return builder.start();
        } catch (IOException e) {
            throw new LabException("cannot start " + command + " in " + name, e);
        }
    }

    public Process spawn(Path log, String... command) {
        return spawn(log, List.of(command), Map.of());
    }

    /** PIDs of every process whose network namespace is this one. */
    public List<Long> pids() {
        ExecResult result = Commands.run(IP_TIMEOUT, "ip", "netns", "pids", name);
        List<Long> pids = new ArrayList<>();
        if (!result.ok()) {
            return pids;
        }
        for (String line : result.stdout().split("\\s+")) {
            if (!line.isBlank()) {
                pids.add(Long.parseLong(line.strip()));
            }
        }
        return pids;
    }

    /** SIGTERM to every process in the namespace, then SIGKILL to those still alive after a grace. */
    public void killAll() {
        List<ProcessHandle> alive = new ArrayList<>();
        for (long pid : pids()) {
            ProcessHandle.of(pid).ifPresent(handle -> {
                handle.destroy();
                alive.add(handle);
            });
        }
        if (!Poll.until(KILL_GRACE, () -> alive.stream().noneMatch(ProcessHandle::isAlive))) {
            alive.forEach(ProcessHandle::destroyForcibly);
            Poll.until(KILL_GRACE, () -> alive.stream().noneMatch(ProcessHandle::isAlive));
        }
    }

    /** Kills what runs inside, then deletes the namespace. Safe to call twice. */
    public void delete() {
        if (!exists()) {
            return;
        }
        killAll();
        Commands.run(IP_TIMEOUT, "ip", "netns", "del", name).orThrow();
    }

    /** Names of all namespaces on this host. */
    public static List<String> list() {
        ExecResult result = Commands.run(IP_TIMEOUT, "ip", "netns", "list").orThrow();
        List<String> names = new ArrayList<>();
        for (String line : result.stdout().split("\n")) {
            // lines look like "cw123n1-w (id: 4)" or just "cw123n1-w"
            String trimmed = line.strip();
            if (!trimmed.isEmpty()) {
                names.add(trimmed.split("\\s+")[0]);
            }
        }
        return names;
    }

    /** Deletes every namespace whose name starts with prefix (and nothing else). */
    public static List<String> deleteAll(String prefix) {
        if (prefix == null || prefix.isBlank()) {
            throw new IllegalArgumentException("refusing to delete namespaces with an empty prefix");
        }
        List<String> deleted = new ArrayList<>();
        for (String name : list()) {
            if (name.startsWith(prefix)) {
                new Netns(name).delete();
                deleted.add(name);
            }
        }
        return deleted;
    }

    private List<String> inside(List<String> command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(command);
        return full;
    }

    @Override
    public String toString() {
        return name;
    }
}
