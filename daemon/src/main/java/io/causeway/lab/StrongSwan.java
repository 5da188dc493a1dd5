package io.causeway.lab;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
  * strongSwan's charon as a real IKE peer inside a namespace. This kernel has no ESP, so charon
  * uses its kernel-libipsec plugin (ESP in userspace over its own TUN, always UDP-encapsulated).
  *
  * <p>charon insists on /run/charon.pid and /run/charon.vici, so each instance runs in its own
  * mount namespace with a private tmpfs on /run: {@code ip netns exec NS unshare -m sh -c 'mount
  * tmpfs /run; exec charon'}. The shell execs charon, so charon itself holds the mount namespace;
  * swanctl reaches it with {@code nsenter -t <charon pid> -m -n}. Everything else (config, log)
  * lives in a work dir named after the namespace, so it carries the run prefix.
  */
public final class StrongSwan implements AutoCloseable {
    private static final String CHARON = System.getProperty("causeway.lab.charon", "/usr/lib/ipsec/charon");

    private final Netns ns;
    private final Path dir;
    private final SwanProcess swan;
    private final Process charon;
    private final Map<String, String> charonOptions;

    private StrongSwan(Netns ns, Path dir, SwanProcess swan, Map<String, String> charonOptions) {
        this.ns = ns;
        this.dir = dir;
        this.swan = swan;
        this.charon = swan.process();
        this.charonOptions = charonOptions;
    }

    /** True when charon, swanctl and the kernel-libipsec plugin are installed. */
    public static boolean available() {
        return Files.isExecutable(Path.of(CHARON))
                && Files.exists(Path.of("/usr/lib/ipsec/plugins/libstrongswan-kernel-libipsec.so"))
                && Commands.run(Duration.ofSeconds(5), "sh", "-c", "command -v swanctl").ok();
    }

    /**
      * Starts charon in ns with the given swanctl.conf text and waits until its vici socket is up.
      * The configuration is written but not loaded: call {@link #load()}.
      */
    public static StrongSwan start(Netns ns, String swanctlConf) {
        return start(ns, swanctlConf, Map.of());
    }

    /**
      * Like {@link #start(Netns, String)} with more settings in strongswan.conf's charon section, e.g.
      * {@code fragment_size=300} or {@code retransmit_timeout=1}; keys are relative to {@code charon.}.
      * {@link #restart()} keeps them.
      */
    public static StrongSwan start(Netns ns, String swanctlConf, Map<String, String> charonOptions) {
        SwanProcess.requireNoMissingPluginSeen();
        Map<String, String> options = checkedOptions(charonOptions);
        Path dir = Files2.freshDir(Path.of("/tmp", ns.name() + "-swan"));
        Files2.write(dir.resolve("strongswan.conf"), strongswanConf(dir, options));
        Files2.write(dir.resolve("swanctl.conf"), swanctlConf);
        SwanProcess process = SwanProcess.spawn(ns, dir, "charon", CHARON);
        StrongSwan swan = new StrongSwan(ns, dir, process, options);
        Process charon = process.process();
        try {
            boolean up = Poll.until(SwanProcess.START_DEADLINE, () -> !charon.isAlive() || process.viciUp());
            if (!up || !charon.isAlive()) {
                throw new LabException("charon in " + ns.name() + " did not come up:\n" + swan.output() + swan.log());
            }
            process.requirePlugins(SwanProcess.PLUGINS);
            return swan;
        } catch (RuntimeException e) {
            swan.close();
            throw e;
        }
    }

    /** Starts charon and loads the configuration in one step. */
    public static StrongSwan startAndLoad(Netns ns, String swanctlConf) {
        return startAndLoad(ns, swanctlConf, Map.of());
    }

    /** Starts charon with more charon.* settings (see {@link #start(Netns, String, Map)}) and loads. */
    public static StrongSwan startAndLoad(Netns ns, String swanctlConf, Map<String, String> charonOptions) {
        StrongSwan swan = start(ns, swanctlConf, charonOptions);
        try {
            swan.load();
            return swan;
        } catch (RuntimeException e) {
            swan.close();
            throw e;
        }
    }

    private static Map<String, String> checkedOptions(Map<String, String> options) {
        for (Map.Entry<String, String> e : options.entrySet()) {
            // one key = value line each: a brace or line break would change the file's structure
            if (!e.getKey().matches("[A-Za-z0-9_.]+") || e.getValue().matches("(?s).*[{}\n].*")) {
                throw new IllegalArgumentException("not a plain charon option: " + e.getKey());
            }
        }
        return new TreeMap<>(options);
    }

    private static String strongswanConf(Path dir, Map<String, String> charonOptions) {
        StringBuilder extra = new StringBuilder();
        charonOptions.forEach((key, value) -> extra.append("  ").append(key).append(" = ").append(value).append('\n'));
        return "# written by io.causeway.lab.StrongSwan\n"
                + "charon {\n"
                + "  # IKEv1 Aggressive Mode with PSK is refused as responder unless this is set\n"
                + "  i_dont_care_about_security_and_use_aggressive_mode_psk = yes\n"
                + "  load = " + SwanProcess.PLUGINS + "\n"
                + extra
                + SwanProcess.fileLog(dir)
                + "}\n"
                + "swanctl {\n"
                + "  load = pem pkcs1 x509 pubkey\n"
                + "}\n";
    }

    /** Loads connections and secrets from the swanctl.conf given at start. */
    public void load() {
        ExecResult result = swanctl("--load-all", "--file", dir.resolve("swanctl.conf").toString());
        if (!result.ok() || result.stdout().contains("failed")) {
            throw new LabException("swanctl --load-all in " + ns.name() + " failed:\n" + result.describe());
        }
    }

    /** Initiates a child SA and waits for swanctl to report the outcome. */
    public ExecResult initiate(String child) {
        return swanctl("--initiate", "--child", child, "--timeout", "20");
    }

    /** Raw {@code swanctl --list-sas} output. */
    public String listSas() {
        return swan.listSas();
    }

    public SwanSas sas() {
        return SwanSas.parse(listSas());
    }

    /** Polls --list-sas until an IKE SA is ESTABLISHED with an INSTALLED child, or throws. */
    public void waitEstablished(Duration deadline) {
        swan.waitEstablished(deadline);
    }

    /** Any swanctl command, run in charon's network and mount namespace. */
    public ExecResult swanctl(String... args) {
        return swan.swanctl(args);
    }

    /** charon's log file (IKE at level 2). */
    public String log() {
        return swan.log();
    }

    /** What charon wrote to stdout/stderr (mostly startup problems). */
    public String output() {
        return swan.output();
    }

    public Netns netns() {
        return ns;
    }

    public Path workDir() {
        return dir;
    }

    /** charon's own pid (ip netns exec, unshare and sh exec in place). */
    public long pid() {
        return charon.pid();
    }

    public boolean alive() {
        return charon.isAlive();
    }

    /**
      * SIGKILL to charon alone (by its own pid: ip netns exec, unshare and sh all exec in place), as a
      * crash: no DELETE goes out and its peers notice only by silence.
      * The work dir (config, log) stays until {@link #close()} or {@link #restart()}.
      */
    public void kill() {
        charon.destroyForcibly();
        if (!Poll.until(SwanProcess.START_DEADLINE, () -> !charon.isAlive())) {
            throw new LabException("charon " + charon.pid() + " in " + ns.name() + " survived SIGKILL");
        }
    }

    /**
      * A new charon in the same namespace with the same swanctl.conf and charon options, loaded; this one is killed
      * first if it still runs. Both share the work dir, which the old log is lost with (read it
      * before if needed): close the new instance before this one.
      */
    public StrongSwan restart() {
        String swanctlConf = Files2.readOrEmpty(dir.resolve("swanctl.conf"));
        if (charon.isAlive()) {
            kill();
        }
        return startAndLoad(ns, swanctlConf, charonOptions);
    }

    /** Stops charon (its mount namespace and private /run go with it) and deletes the work dir. */
    @Override
    public void close() {
        swan.close(Duration.ofSeconds(5));
    }
}
