package io.causeway.lab;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * strongSwan configured the legacy way, from an ipsec.conf and an ipsec.secrets: {@code starter} parses
 * ipsec.conf and hands each conn to charon's stroke plugin, which reads the secrets. For testing files written
 * for strongSwan users who still run {@code ipsec start} (Causeway's export in ipsec.conf format).
 *
 * <p>As {@link StrongSwan} does, it runs in its own mount namespace with a private /run (where starter and
 * charon keep their pid files and sockets): {@code unshare -m sh -c 'mount tmpfs /run; exec starter --nofork'}.
 * starter starts charon as its child in the same namespaces; charon also loads vici, so swanctl reads its SAs.
 */
public final class StrongSwanStarter implements AutoCloseable {
    private static final String STARTER = "/usr/lib/ipsec/starter";
    private static final Duration START_DEADLINE = Duration.ofSeconds(15);
    private static final Duration SWANCTL_TIMEOUT = Duration.ofSeconds(30);
    private static final String PLUGINS = "random nonce openssl aes sha1 sha2 md5 hmac gmp gcm kdf pem pkcs1"
            + " x509 pubkey kernel-libipsec kernel-netlink socket-default vici stroke";

    private final Netns ns;
    private final Path dir;
    private final Process starter;

    private StrongSwanStarter(Netns ns, Path dir, Process starter) {
        this.ns = ns;
        this.dir = dir;
        this.starter = starter;
    }

    /** True when starter and charon's stroke plugin are installed, besides what {@link StrongSwan} needs. */
    public static boolean available() {
        return StrongSwan.available() && Files.isExecutable(Path.of(STARTER))
                && Files.exists(Path.of("/usr/lib/ipsec/plugins/libstrongswan-stroke.so"));
    }

    /**
     * Starts starter (and through it charon) in ns with these files and waits until charon has every conn of
     * the file loaded (each {@code conn NAME} shows in {@code swanctl --list-conns}).
     */
    public static StrongSwanStarter start(Netns ns, String ipsecConf, String ipsecSecrets) {
        Path dir = Files2.freshDir(Path.of("/tmp", ns.name() + "-starter"));
        Files2.write(dir.resolve("ipsec.conf"), ipsecConf);
        Files2.write(dir.resolve("ipsec.secrets"), ipsecSecrets);
        Files2.write(dir.resolve("strongswan.conf"), strongswanConf(dir));
        Process starter = ns.spawn(dir.resolve("starter.out"),
                List.of("unshare", "-m", "--propagation", "private", "sh", "-c",
                        "mount -t tmpfs tmpfs /run && exec " + STARTER + " --nofork --conf " + dir.resolve("ipsec.conf")),
                Map.of("STRONGSWAN_CONF", dir.resolve("strongswan.conf").toString()));
        StrongSwanStarter swan = new StrongSwanStarter(ns, dir, starter);
        try {
            List<String> conns = ipsecConf.lines().filter(l -> l.startsWith("conn ") && !l.contains("%default"))
                    .map(l -> l.substring(5).strip()).toList();
            Path proc = Path.of("/proc", Long.toString(starter.pid()));
            // until sh has mounted the tmpfs and exec'd starter, /proc/PID/root/run is the host's /run
            boolean up = Poll.until(START_DEADLINE, Duration.ofMillis(100), () -> !starter.isAlive()
                    || Files2.readOrEmpty(proc.resolve("comm")).strip().equals("starter")
                    && Files.exists(proc.resolve("root/run/charon.vici")) && swan.loaded(conns));
            if (!up || !starter.isAlive()) {
                throw new LabException("starter in " + ns.name() + " did not load " + conns + ":\n" + swan.output()
                        + swan.log());
            }
            return swan;
        } catch (RuntimeException e) {
            swan.close();
            throw e;
        }
    }

    private boolean loaded(List<String> conns) {
        ExecResult listed = swanctl("--list-conns");
        return listed.ok() && conns.stream().allMatch(c -> listed.stdout().contains(c + ": "));
    }

    private static String strongswanConf(Path dir) {
        return "# written by io.causeway.lab.StrongSwanStarter\n"
                + "charon {\n"
                + "  load = " + PLUGINS + "\n"
                + "  plugins {\n"
                + "    stroke {\n"
                + "      secrets_file = " + dir.resolve("ipsec.secrets") + "\n"
                + "    }\n"
                + "  }\n"
                + "  filelog {\n"
                + "    lab {\n"
                + "      path = " + dir.resolve("charon.log") + "\n"
                + "      time_format = %T\n"
                + "      default = 1\n"
                + "      ike = 2\n"
                + "      flush_line = yes\n"
                + "    }\n"
                + "  }\n"
                + "}\n";
    }

    /** Raw {@code swanctl --list-sas} output. */
    public String listSas() {
        return swanctl("--list-sas").orThrow().stdout();
    }

    /** Polls --list-sas until an IKE SA is ESTABLISHED with an INSTALLED child, or throws. */
    public void waitEstablished(Duration deadline) {
        boolean up = Poll.until(deadline, Duration.ofMillis(200),
                () -> starter.isAlive() && SwanSas.parse(listSas()).anyEstablished());
        if (!up) {
            throw new LabException("no established SA in " + ns.name() + " after " + deadline.toMillis() + " ms\n"
                    + (starter.isAlive() ? listSas() : "starter died") + "\n--- charon log ---\n" + log());
        }
    }

    /** swanctl, over vici, in the namespaces of starter and its charon. */
    public ExecResult swanctl(String... args) {
        List<String> command = new ArrayList<>(List.of("nsenter", "-t", Long.toString(starter.pid()), "-m", "-n",
                "swanctl"));
        command.addAll(List.of(args));
        return Commands.run(SWANCTL_TIMEOUT, command, null,
                Map.of("STRONGSWAN_CONF", dir.resolve("strongswan.conf").toString()));
    }

    /** charon's log file (IKE at level 2). */
    public String log() {
        return Files2.readOrEmpty(dir.resolve("charon.log"));
    }

    /** What starter wrote (parse errors of ipsec.conf show here). */
    public String output() {
        return Files2.readOrEmpty(dir.resolve("starter.out"));
    }

    /** SIGTERM to starter, which stops charon; then deletes the work dir. */
    @Override
    public void close() {
        Commands.terminate(starter.toHandle(), Duration.ofSeconds(10));
        Files2.deleteRecursively(dir);
    }
}
