package io.causeway.lab;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
  * A strongSwan daemon (charon, or starter with its charon) in a namespace, what {@link StrongSwan}
  * and {@link StrongSwanStarter} share: a mount namespace of its own with a private tmpfs on /run
  * (strongSwan insists on /run for its pid files and vici socket), a work dir holding
  * strongswan.conf and charon.log, and swanctl reaching it over vici.
  */
final class SwanProcess {
    static final Duration START_DEADLINE = Duration.ofSeconds(15);
    static final String PLUGINS = "random nonce openssl aes sha1 sha2 md5 hmac gmp gcm kdf pem pkcs1"
            + " x509 pubkey kernel-libipsec kernel-netlink socket-default vici";
    private static final Duration SWANCTL_TIMEOUT = Duration.ofSeconds(30);
    /** charon writes its "loaded plugins:" line just after the plugins (vici among them) are up. */
    private static final Duration PLUGINS_LINE_DEADLINE = Duration.ofSeconds(5);
    /**
     * Set once a charon started without a plugin the lab configures: the same line for every later start, so
     * that a missing package costs the run one line per test instead of a charon start and an IKE failure each.
     */
    private static volatile String missingPlugins;

    private final Netns ns;
    private final Path dir;
    private final Process process;
    private final String name;

    private SwanProcess(Netns ns, Path dir, Process process, String name) {
        this.ns = ns;
        this.dir = dir;
        this.process = process;
        this.name = name;
    }

    /**
      * Runs {@code unshare -m sh -c 'mount tmpfs /run && exec COMMAND'} in ns with dir's
      * strongswan.conf; the shell execs, so the daemon (charon or starter: name) itself holds the
      * mount namespace. stdout and stderr go to dir/NAME.out.
      */
    static SwanProcess spawn(Netns ns, Path dir, String name, String command) {
        Process process = ns.spawn(dir.resolve(name + ".out"),
                List.of("unshare", "-m", "--propagation", "private", "sh", "-c",
                        "mount -t tmpfs tmpfs /run && exec " + command),
                Map.of("STRONGSWAN_CONF", dir.resolve("strongswan.conf").toString()));
        return new SwanProcess(ns, dir, process, name);
    }

    /**
      * True once the shell has exec'd the daemon and charon's vici socket is there. Until then
      * /proc/PID/root/run is the host's /run (where another charon's socket may exist), so the
      * process name is checked first.
      */
    boolean viciUp() {
        Path proc = Path.of("/proc", Long.toString(process.pid()));
        return Files2.readOrEmpty(proc.resolve("comm")).strip().equals(name)
                && Files.exists(proc.resolve("root/run/charon.vici"));
    }

    /** Throws the line of {@link #requirePlugins} if an earlier charon showed a plugin missing. */
    static void requireNoMissingPluginSeen() {
        if (missingPlugins != null) {
            throw new LabException(missingPlugins);
        }
    }

    /**
      * Throws, with one line naming each missing plugin and its Debian package, unless charon's "loaded plugins:"
      * line has every plugin of wanted (a strongswan.conf load value). Call once vici is up.
      */
    void requirePlugins(String wanted) {
        Poll.until(PLUGINS_LINE_DEADLINE, Duration.ofMillis(50), () -> CharonPlugins.loaded(log()).isPresent());
        Set<String> loaded = CharonPlugins.loaded(log()).orElseThrow(() -> new LabException("charon in " + ns.name()
                + " wrote no 'loaded plugins:' line to " + dir.resolve("charon.log")));
        List<String> missing = CharonPlugins.missing(wanted, loaded);
        if (!missing.isEmpty()) {
            missingPlugins = CharonPlugins.describe(missing);
            throw new LabException(missingPlugins);
        }
    }

    /** strongswan.conf's charon.filelog section: charon.log in the work dir, IKE at level 2. */
    static String fileLog(Path dir) {
        return "  filelog {\n"
                + "    lab {\n"
                + "      path = " + dir.resolve("charon.log") + "\n"
                + "      time_format = %T\n"
                + "      default = 1\n"
                + "      ike = 2\n"
                + "      flush_line = yes\n"
                + "    }\n"
                + "  }\n";
    }

    /** Polls --list-sas until an IKE SA is ESTABLISHED with an INSTALLED child, or throws. */
    void waitEstablished(Duration deadline) {
        boolean up = Poll.until(deadline, Duration.ofMillis(200),
                () -> process.isAlive() && SwanSas.parse(listSas()).anyEstablished());
        if (!up) {
            throw new LabException("no established SA in " + ns.name() + " after " + deadline.toMillis() + " ms\n"
                    + (process.isAlive() ? listSas() : name + " died") + "\n--- charon log ---\n" + log());
        }
    }

    String listSas() {
        return swanctl("--list-sas").orThrow().stdout();
    }

    /** Any swanctl command, run in the daemon's network and mount namespace. */
    ExecResult swanctl(String... args) {
        List<String> command = new ArrayList<>(List.of("nsenter", "-t", Long.toString(process.pid()), "-m", "-n",
                "swanctl"));
        command.addAll(List.of(args));
        return Commands.run(SWANCTL_TIMEOUT, command, null,
                Map.of("STRONGSWAN_CONF", dir.resolve("strongswan.conf").toString()));
    }

    String log() {
        return Files2.readOrEmpty(dir.resolve("charon.log"));
    }

    String output() {
        return Files2.readOrEmpty(dir.resolve(name + ".out"));
    }

    Process process() {
        return process;
    }

    /** Stops the daemon (its mount namespace and private /run go with it) and deletes the work dir. */
    void close(Duration grace) {
        Commands.terminate(process.toHandle(), grace);
        Files2.deleteRecursively(dir);
    }
}
