package io.causeway.lab;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

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
    private static final String PLUGINS = SwanProcess.PLUGINS + " stroke";
    private final SwanProcess starter;

    private StrongSwanStarter(SwanProcess starter) {
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
        SwanProcess.requireNoMissingPluginSeen();
        Path dir = Files2.freshDir(Path.of("/tmp", ns.name() + "-starter"));
        Files2.write(dir.resolve("ipsec.conf"), ipsecConf);
        Files2.write(dir.resolve("ipsec.secrets"), ipsecSecrets);
        Files2.write(dir.resolve("strongswan.conf"), strongswanConf(dir));
        SwanProcess process = SwanProcess.spawn(ns, dir, "starter",
                STARTER + " --nofork --conf " + dir.resolve("ipsec.conf"));
        StrongSwanStarter swan = new StrongSwanStarter(process);
        Process starter = process.process();
        try {
            List<String> conns = ipsecConf.lines().filter(l -> l.startsWith("conn ") && !l.contains("%default"))
                    .map(l -> l.substring(5).strip()).toList();
            boolean up = Poll.until(SwanProcess.START_DEADLINE, Duration.ofMillis(100), () -> !starter.isAlive()
                    || process.viciUp());
            if (up && starter.isAlive()) {
                process.requirePlugins(PLUGINS);
                up = Poll.until(SwanProcess.START_DEADLINE, Duration.ofMillis(100), () -> !starter.isAlive()
                        || swan.loaded(conns));
            }
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
                + SwanProcess.fileLog(dir)
                + "}\n";
    }

    /** Raw {@code swanctl --list-sas} output. */
    public String listSas() {
        return starter.listSas();
    }

    /** Polls --list-sas until an IKE SA is ESTABLISHED with an INSTALLED child, or throws. */
    public void waitEstablished(Duration deadline) {
        starter.waitEstablished(deadline);
    }

    /** swanctl, over vici, in the namespaces of starter and its charon. */
    public ExecResult swanctl(String... args) {
        return starter.swanctl(args);
    }

    /** charon's log file (IKE at level 2). */
    public String log() {
        return starter.log();
    }

    /** What starter wrote (parse errors of ipsec.conf show here). */
    public String output() {
        return starter.output();
    }

    /** SIGTERM to starter, which stops charon; then deletes the work dir. */
    @Override
    public void close() {
        starter.close(Duration.ofSeconds(10));
    }
}
