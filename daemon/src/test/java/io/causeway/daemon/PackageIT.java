package io.causeway.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.causeway.daemon.testing.LabRequirements;
import io.causeway.daemon.systemd.NotifyListener;
import io.causeway.lab.CausewayLauncher;
import io.causeway.lab.CausewayProcess;
import io.causeway.lab.Commands;
import io.causeway.lab.ExecResult;
import io.causeway.lab.Netns;
import io.causeway.lab.Ping;
import io.causeway.lab.Poll;
import io.causeway.lab.RunPrefix;
import io.causeway.lab.Topology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Debian package as an administrator gets it (issue 5, "Install and service"): the .deb that
 * `mvn verify` built from this jar (packaging/build-deb, in pre-integration-test) is inspected,
 * installed on this machine with dpkg -i, its unit passes systemd-analyze verify, the installed
 * daemon runs the way causeway.service runs it, and the package is purged at the end.
 *
 * <p>Needs root. Skipped when a causeway package is installed already: that one is not ours to
 * purge. The causeway system user stays after the purge, as Debian packages leave them.
 */
class PackageIT {
    private static final Duration COMMAND = Duration.ofSeconds(120);
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final Path TARGET = Path.of("target").toAbsolutePath();
    private static final String UNIT = "/usr/lib/systemd/system/causeway.service";
    private static final String SECRETS = "/etc/causeway/ipsec.secrets";
    /** CAP_NET_BIND_SERVICE (10), CAP_NET_ADMIN (12), CAP_NET_RAW (13): capability(7) bit numbers. */
    private static final String THREE_CAPS = "0000000000003400";
    private static final String CAPS = "net_admin,+net_bind_service,+net_raw";
    private static final Pattern EXPOSURE = Pattern.compile("Overall exposure level for causeway\\.service: (\\d+\\.\\d+) (\\S+)");

    private static Path deb;
    private static boolean installed;

    @BeforeAll
    static void install() {
        LabRequirements.root();
        LabRequirements.tools("dpkg", "dpkg-deb", "dpkg-statoverride", "systemd-analyze", "man", "setpriv", "unshare",
                "ping");
        assumeFalse(run("dpkg-query", "-W", "-f=${Status}", "causeway").stdout().contains("ok installed"),
                "a causeway package is installed on this machine already; it is not this test's to purge");
        deb = builtPackage();
        run("dpkg", "-i", deb.toString()).orThrow();
        installed = true;
    }

    @AfterAll
    static void purge() {
        if (!installed) return;
        ExecResult purge = run("dpkg", "--purge", "causeway");
        assertThat(purge.ok()).as(purge.describe()).isTrue();
        assertThat(Path.of("/etc/causeway")).doesNotExist();
        assertThat(Path.of("/usr/sbin/causeway")).doesNotExist();
        assertThat(Path.of(UNIT)).doesNotExist();
        assertThat(run("dpkg-statoverride", "--list", SECRETS).ok()).as("statoverride left").isFalse();
    }

    @Test
    void controlFieldsDependenciesAndConffiles() throws IOException {
        assertThat(field("Package")).isEqualTo("causeway");
        assertThat(field("Version")).isEqualTo(upstreamVersion().replace('-', '~'));
        assertThat(field("Architecture")).isEqualTo("amd64");
        assertThat(field("Depends")).contains("default-jre-headless (>= 2:1.17) | java17-runtime-headless", "iproute2",
                "adduser");
        assertThat(run("dpkg-deb", "--info", deb.toString(), "conffiles").orThrow().stdout().lines())
                .containsExactly("/etc/causeway/ipsec.conf", SECRETS);
    }

    @Test
    void contentsWithModesAndOwners() {
        Map<String, String> contents = new LinkedHashMap<>();
        for (String line : run("dpkg-deb", "--contents", deb.toString()).orThrow().stdout().lines().toList()) {
            String[] f = line.trim().split("\\s+");
            contents.put(f[f.length - 1], f[0] + " " + f[1]);
        }
        assertThat(contents).containsEntry("./usr/share/causeway/causeway.jar", "-rw-r--r-- root/root")
                .containsEntry("./usr/share/causeway/jvm.options", "-rw-r--r-- root/root")
                .containsEntry("./usr/sbin/causeway", "-rwxr-xr-x root/root")
                .containsEntry("./etc/causeway/ipsec.conf", "-rw-r--r-- root/root")
                .containsEntry("./etc/causeway/ipsec.secrets", "-rw------- root/root")
                .containsEntry("." + UNIT, "-rw-r--r-- root/root")
                .containsEntry("./usr/share/bash-completion/completions/causeway", "-rw-r--r-- root/root")
                .containsEntry("./usr/share/man/man8/causeway.8.gz", "-rw-r--r-- root/root");
    }

    @Test
    void unitPassesSystemdAnalyzeVerify() throws IOException {
        // verify also checks that ExecStart's program exists and that man:causeway(8) opens
        ExecResult verify = run("systemd-analyze", "verify", UNIT);
        assertThat(verify.ok() && verify.stdout().isBlank() && verify.stderr().isBlank()).as(verify.describe()).isTrue();
        assertThat(Files.readAllLines(Path.of(UNIT))).contains("Type=notify", "ExecStart=/usr/sbin/causeway daemon",
                "ExecReload=/usr/sbin/causeway reload", "User=causeway",
                "AmbientCapabilities=CAP_NET_ADMIN CAP_NET_BIND_SERVICE CAP_NET_RAW",
                "CapabilityBoundingSet=CAP_NET_ADMIN CAP_NET_BIND_SERVICE CAP_NET_RAW", "NoNewPrivileges=yes",
                "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes", "RuntimeDirectory=causeway",
                "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK");
    }

    @Test
    void hardeningKeepsTheExposureBelowMedium() {
        ExecResult security = run("systemd-analyze", "security", "--offline=yes", UNIT);
        Matcher m = EXPOSURE.matcher(security.stdout());
        assertThat(m.find()).as(security.describe()).isTrue();
        // systemd rates 5.0 and above MEDIUM, 7.0 EXPOSED, 9.0 UNSAFE
        assertThat(Double.parseDouble(m.group(1))).as("exposure, %s", m.group(2)).isLessThan(5.0);
    }

    @Test
    void installedFilesUserAndNotEnabled() throws IOException {
        String[] user = run("getent", "passwd", "causeway").orThrow().stdout().strip().split(":");
        assertThat(Integer.parseInt(user[2])).as("system uid").isLessThan(1000);
        assertThat(user[6]).isEqualTo("/usr/sbin/nologin");
        PosixFileAttributes secrets = Files.readAttributes(Path.of(SECRETS), PosixFileAttributes.class);
        assertThat(secrets.owner().getName()).isEqualTo("causeway");
        assertThat(PosixFilePermissions.toString(secrets.permissions())).isEqualTo("rw-------");
        PosixFileAttributes conf = Files.readAttributes(Path.of("/etc/causeway/ipsec.conf"), PosixFileAttributes.class);
        assertThat(conf.owner().getName()).isEqualTo("root");
        // enabling is the administrator's step, once ipsec.conf has a connection
        assertThat(Path.of("/etc/systemd/system/multi-user.target.wants/causeway.service")).doesNotExist();
    }

    @Test
    void installedCommandPrintsItsVersionAndChecksTheShippedConfiguration() throws IOException {
        assertThat(run("/usr/sbin/causeway", "--version").orThrow().stdout().strip())
                .isEqualTo("causeway " + upstreamVersion());
        assertThat(run("/usr/sbin/causeway", "check-config").orThrow().stdout()).contains("0 connection(s)");

        // the commented examples, uncommented, are a valid configuration
        Path dir = Files.createTempDirectory("causeway-package-examples");
        try {
            Path conf = dir.resolve("ipsec.conf");
            Path secrets = dir.resolve("ipsec.secrets");
            Files.writeString(conf, Files.readString(Path.of("/etc/causeway/ipsec.conf"))
                    .replaceAll("(?m)^#(conn |    )", "$1"));
            Files.writeString(secrets, Files.readString(Path.of(SECRETS)).replaceAll("(?m)^#([^ #].* : PSK)", "$1"));
            ExecResult check = run("/usr/sbin/causeway", "check-config", "--config", conf.toString(),
                    "--secrets", secrets.toString());
            assertThat(check.ok()).as(check.describe()).isTrue();
            assertThat(check.stdout()).contains("2 connection(s), 0 warning(s)");
        } finally {
            deleteRecursively(dir);
        }
    }

    @Test
    void manPageAndBashCompletion() {
        ExecResult man = Commands.run(COMMAND, List.of("man", "--warnings", "8", "causeway"), null,
                Map.of("MANWIDTH", "80"));
        assertThat(man.ok() && man.stderr().isBlank()).as(man.describe()).isTrue();
        assertThat(man.stdout()).contains("CAUSEWAY(8)", "check-config", "EXIT STATUS", "/etc/causeway/ipsec.secrets");

        ExecResult complete = run("bash", "-c", "source /usr/share/bash-completion/completions/causeway 2>/dev/null"
                + " && COMP_WORDS=(causeway che) && COMP_CWORD=1 && COMP_LINE='causeway che' && COMP_POINT=12"
                + " && _complete_causeway 2>/dev/null; printf '%s\\n' \"${COMPREPLY[@]}\"");
        assertThat(complete.stdout().lines()).containsExactly("check-config");
    }

    /**
     * What systemd does for causeway.service, without systemd as PID 1: the installed launcher as
     * user causeway holding only the three capabilities (ambient, bounding set, no new privileges),
     * $NOTIFY_SOCKET at a socket this test binds, stderr as the "journal" named by $JOURNAL_STREAM,
     * and the control socket in a directory of its own. A root Causeway is the peer.
     */
    @Test
    void daemonRunsAsTheServiceRunsIt() throws Exception {
        String prefix = RunPrefix.next();
        Path dir = RunPrefix.workDir(prefix, "pkg");
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Process west = null;
        try (Topology topology = Topology.create(prefix, false);
             NotifyListener systemd = NotifyListener.bind(dir.resolve("notify").toString()).openToEveryone()) {
            Path tun = usableTun(dir);
            Path run = Files.createDirectory(dir.resolve("run")); // RuntimeDirectory=causeway, mode 0750
            Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwxr-x---"));
            giveToCauseway(run);
            Path conf = write(dir, "west.conf", connection(Topology.WEST_PUBLIC_V4, Topology.WEST_SUBNET_V4,
                    Topology.EAST_PUBLIC_V4, Topology.EAST_SUBNET_V4), "rw-r--r--");
            Path secrets = write(dir, "west.secrets", Topology.WEST_PUBLIC_V4 + " " + Topology.EAST_PUBLIC_V4
                    + " : PSK \"package-it-key-0123456789abcdef\"\n", "rw-------");
            giveToCauseway(secrets);
            Path log = Files.createFile(dir.resolve("west.log"));
            String journalStream = Files.getAttribute(log, "unix:dev") + ":" + Files.getAttribute(log, "unix:ino");
            Path socket = run.resolve("causeway.sock");

            String asService = (tun == null ? "" : "mount --bind " + tun + " /dev/net/tun && ")
                    + "exec setpriv --reuid=causeway --regid=causeway --init-groups"
                    + " --inh-caps=-all,+" + CAPS + " --ambient-caps=+" + CAPS + " --bounding-set=-all,+" + CAPS
                    + " --no-new-privs /usr/sbin/causeway daemon --config " + conf + " --secrets " + secrets
                    + " --socket " + socket;
            west = topology.west().spawn(log, List.of("unshare", "--mount", "sh", "-c", asService),
                    Map.of("NOTIFY_SOCKET", systemd.address(), "JOURNAL_STREAM", journalStream));
            List<String> notes = new ArrayList<>();
            Process daemon = west;
            Poll.require(DEADLINE, "READY=1 on the notify socket\n" + Files.readString(log),
                    () -> received(systemd, notes) && !notes.isEmpty() || !daemon.isAlive());
            assertThat(notes).as(Files.readString(log)).first().isEqualTo("READY=1\nSTATUS=1 tunnel, 0 connected");

            // the JVM itself is the main process (the launcher execs it) with the package's JVM options, the same
            // file the repository's packaging/jvm.options is, as causeway with three capabilities
            String commandLine = Files.readString(Path.of("/proc", Long.toString(west.pid()), "cmdline"));
            assertThat(List.of(commandLine.split("\0"))).startsWith("java", "@/usr/share/causeway/jvm.options");
            assertThat(Files.readString(Path.of("/usr/share/causeway/jvm.options")))
                    .isEqualTo(Files.readString(Path.of("").toAbsolutePath().resolveSibling("packaging/jvm.options")));
            String status = Files.readString(Path.of("/proc", Long.toString(west.pid()), "status"));
            String uid = run("id", "-u", "causeway").orThrow().stdout().strip();
            assertThat(status).containsPattern("(?m)^Name:\\s+java$")
                    .containsPattern("(?m)^Uid:\\s+" + uid + "\\s+" + uid + "\\s+" + uid + "\\s+" + uid + "$")
                    .containsPattern("(?m)^CapEff:\\s+" + THREE_CAPS + "$")
                    .containsPattern("(?m)^CapAmb:\\s+" + THREE_CAPS + "$")
                    .containsPattern("(?m)^CapBnd:\\s+" + THREE_CAPS + "$");
            PosixFileAttributes control = Files.readAttributes(socket, PosixFileAttributes.class);
            assertThat(PosixFilePermissions.toString(control.permissions())).isEqualTo("rw-rw----");
            assertThat(control.group().getName()).isEqualTo("causeway");

            Path eastConf = write(dir, "east.conf", connection(Topology.EAST_PUBLIC_V4, Topology.EAST_SUBNET_V4,
                    Topology.WEST_PUBLIC_V4, Topology.WEST_SUBNET_V4), "rw-r--r--");
            Path eastSecrets = write(dir, "east.secrets", Topology.EAST_PUBLIC_V4 + " " + Topology.WEST_PUBLIC_V4
                    + " : PSK \"package-it-key-0123456789abcdef\"\n", "rw-------");
            CausewayLauncher installedJar = CausewayLauncher.forJar(Path.of("/usr/share/causeway/causeway.jar"));
            try (CausewayProcess east = CausewayProcess.startDaemon(topology.east(), installedJar, eastConf, eastSecrets,
                    dir.resolve("east.sock").toString(), dir.resolve("east.log"), DEADLINE)) {
                // a member of group causeway that is neither root nor the owner may use the socket
                ExecResult up = run("setpriv", "--reuid=nobody", "--regid=causeway", "--clear-groups",
                        "/usr/sbin/causeway", "up", "site", "--socket", socket.toString());
                assertThat(up.ok()).as(up.describe() + "\n" + Files.readString(log)).isTrue();
                assertThat(up.stdout()).contains("site: CONNECTED");
                Poll.require(DEADLINE, "STATUS=1 tunnel, 1 connected",
                        () -> received(systemd, notes) && notes.contains("STATUS=1 tunnel, 1 connected"));
                // raw ESP through the socket that CAP_NET_RAW opened, the TUN device that CAP_NET_ADMIN made
                assertThat(Ping.awaitReply(topology.west(), Topology.WEST_HOST_V4, Topology.EAST_HOST_V4, DEADLINE))
                        .as("ping through the tunnel\n%s", Files.readString(log)).isTrue();
            }

            west.destroy(); // SIGTERM, as systemctl stop
            Process stopping = west;
            assertThat(Poll.until(DEADLINE, () -> !stopping.isAlive())).as("stopped on SIGTERM").isTrue();
            received(systemd, notes);
            assertThat(notes).last().isEqualTo("STOPPING=1");
            assertThat(socket).doesNotExist();

            // journald's format: priority prefixes, no time stamps of our own
            List<String> lines = Files.readAllLines(log);
            assertThat(lines).anyMatch(l -> l.startsWith("<6>") && l.contains("Gateway: IKE on " + Topology.WEST_PUBLIC_V4));
            assertThat(lines).noneMatch(l -> l.matches(".*\\d\\d:\\d\\d:\\d\\d\\.\\d{3}.*"));
        } finally {
            if (west != null) Commands.terminate(west.toHandle(), Duration.ofSeconds(10));
            deleteRecursively(dir);
        }
        assertThat(Netns.list()).noneMatch(ns -> ns.startsWith(prefix));
    }

    /** Reads every queued notification into {@code notes}; true, so it can lead a condition. */
    private static boolean received(NotifyListener systemd, List<String> notes) {
        for (var note = systemd.receive(); note.isPresent(); note = systemd.receive()) notes.add(note.get());
        return true;
    }

    /**
     * udev makes /dev/net/tun mode 0666 on a normal host; a container may leave it 0600 for root.
     * Then a copy of the node, 0666, is mounted over it inside the daemon's own mount namespace,
     * so the host's device is not changed. Null when the real node will do.
     */
    private static Path usableTun(Path dir) throws IOException {
        String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of("/dev/net/tun")));
        if (mode.endsWith("rw-")) return null;
        Path copy = dir.resolve("tun");
        ExecResult mknod = run("mknod", "-m", "0666", copy.toString(), "c", "10", "200");
        assumeTrue(mknod.ok(), "/dev/net/tun is " + mode + " and no copy can be made: " + mknod.describe());
        return copy;
    }

    private static String connection(String left, String leftSubnet, String right, String rightSubnet) {
        return "conn site\n    left=" + left + "\n    leftsubnet=" + leftSubnet + "\n    right=" + right
                + "\n    rightsubnet=" + rightSubnet + "\n    authby=secret\n    auto=add\n";
    }

    private static Path write(Path dir, String name, String text, String mode) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    private static void giveToCauseway(Path path) throws IOException {
        UserPrincipalLookupService users = path.getFileSystem().getUserPrincipalLookupService();
        Files.setOwner(path, users.lookupPrincipalByName("causeway"));
        Files.getFileAttributeView(path, java.nio.file.attribute.PosixFileAttributeView.class)
                .setGroup(users.lookupPrincipalByGroupName("causeway"));
    }

    /** The package this build made: the newest causeway_*.deb in target, not older than the jar. */
    private static Path builtPackage() {
        Path jar = TARGET.resolve("causeway.jar");
        try (Stream<Path> files = Files.list(TARGET)) {
            Path newest = files.filter(p -> p.getFileName().toString().matches("causeway_.*_amd64\\.deb"))
                    .max(Comparator.comparing(PackageIT::modified)).orElse(null);
            if (newest == null) {
                fail("no causeway_*_amd64.deb in " + TARGET + ": mvn verify builds it (packaging/build-deb)");
            }
            assertThat(modified(newest)).as("%s is older than %s", newest, jar).isGreaterThanOrEqualTo(modified(jar));
            return newest;
        } catch (IOException e) {
            throw new AssertionError("cannot list " + TARGET, e);
        }
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String upstreamVersion() throws IOException {
        try (JarFile jar = new JarFile(TARGET.resolve("causeway.jar").toFile())) {
            return jar.getManifest().getMainAttributes().getValue("Implementation-Version");
        }
    }

    private static String field(String name) {
        return run("dpkg-deb", "--field", deb.toString(), name).orThrow().stdout().strip();
    }

    private static ExecResult run(String... command) {
        return Commands.run(COMMAND, command);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
