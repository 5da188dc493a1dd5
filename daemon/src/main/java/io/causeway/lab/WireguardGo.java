package io.causeway.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
  * One wireguard-go instance in a namespace, for comparison benchmarks: {@code wireguard-go -f
  * NAME} runs in the foreground as a child process of ours (ip netns exec execs in place, so the
  * Process is wireguard-go itself and is stopped by its own pid), keyed with {@code wg genkey} /
  * {@code wg pubkey} and configured with {@code wg set}.
  *
  * <p>The UAPI sockets live in /var/run/wireguard, which every namespace shares, so each instance
  * needs an interface name of its own (e.g. the run prefix plus a letter; at most 15 characters).
  * Close stops the process, then removes the interface, the UAPI socket and the key file, each by
  * its own name, if anything of them is left.
  */
public final class WireguardGo implements AutoCloseable {
    public static final int PORT = 51820;
    public static final int MTU = 1420;
    /** The Debian packages that bring wireguard-go and wg; the lab never installs them itself. */
    public static final String INSTALL = "apt-get install -y --no-install-recommends wireguard-go wireguard-tools";
    private static final Path UAPI_DIR = Path.of("/var/run/wireguard");
    private static final int MAX_INTERFACE_NAME = 15;
    private static final Duration START_DEADLINE = Duration.ofSeconds(10);
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);

    private final Netns ns;
    private final String name;
    private final Process process;
    private final Path log;
    private final Path privateKeyFile;
    private final String publicKey;

    private WireguardGo(Netns ns, String name, Process process, Path log, Path privateKeyFile, String publicKey) {
        this.ns = ns;
        this.name = name;
        this.process = process;
        this.log = log;
        this.privateKeyFile = privateKeyFile;
        this.publicKey = publicKey;
    }

    /** wireguard-go and wg, whichever is not on PATH. */
    public static List<String> missingTools() {
        return LabHost.missing("wireguard-go", "wg");
    }

    /**
      * Makes a key pair (private key in dir/NAME.key, mode 600), starts {@code wireguard-go -f NAME}
      * in ns (log in dir/NAME.log) and waits until its interface and UAPI socket exist.
      */
    public static WireguardGo start(Netns ns, String name, Path dir) {
        if (name.isEmpty() || name.length() > MAX_INTERFACE_NAME || name.contains("/")) {
            throw new IllegalArgumentException("not a usable interface name (1-15 characters): " + name);
        }
        Path socket = uapiSocket(name);
        if (Files.exists(socket)) {
            throw new LabException(socket + " exists: another wireguard-go runs as " + name);
        }
        String privateKey = Commands.run(COMMAND_TIMEOUT, "wg", "genkey").orThrow().stdout().strip();
        String publicKey = Commands.run(COMMAND_TIMEOUT, List.of("wg", "pubkey"), privateKey + "\n", Map.of())
                .orThrow().stdout().strip();
        Path keyFile = dir.resolve(name + ".key");
        writePrivate(keyFile, privateKey + "\n");
        Path log = dir.resolve(name + ".log");
        Process process = ns.spawn(log, List.of("wireguard-go", "-f", name), Map.of());
        WireguardGo wg = new WireguardGo(ns, name, process, log, keyFile, publicKey);
        try {
            Poll.until(START_DEADLINE, () -> !process.isAlive()
                    || (Files.exists(socket) && ns.exec(COMMAND_TIMEOUT, "ip", "link", "show", name).ok()));
            if (!process.isAlive() || !Files.exists(socket)) {
                throw new LabException("wireguard-go " + name + " in " + ns.name()
                        + (process.isAlive() ? " has no UAPI socket " + socket + " after " + START_DEADLINE.toSeconds()
                                + " s" : " exited with code " + process.exitValue()) + "\n--- log ---\n" + wg.log());
            }
            return wg;
        } catch (RuntimeException e) {
            wg.close();
            throw e;
        }
    }

    /**
      * {@code wg set NAME private-key FILE listen-port 51820 peer PUB endpoint PEER:51820 allowed-ips
      * SUBNET}, then MTU 1420 and up, and a route to SUBNET through the interface with source
      * localHost (the LAN hosts of the topology sit on lo, so the source must be named).
      */
    public void connect(String peerPublicKey, String peerAddress, String peerSubnet, String localHost) {
        ns.exec(COMMAND_TIMEOUT, "wg", "set", name, "private-key", privateKeyFile.toString(),
                "listen-port", Integer.toString(PORT), "peer", peerPublicKey,
                "endpoint", peerAddress + ":" + PORT, "allowed-ips", peerSubnet).orThrow();
        ns.ip("link", "set", name, "mtu", Integer.toString(MTU), "up");
        ns.ip("route", "add", peerSubnet, "dev", name, "src", localHost);
    }

    public String name() {
        return name;
    }

    public String publicKey() {
        return publicKey;
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    public String log() {
        return Files2.readOrEmpty(log);
    }

    /** {@code wg show NAME}, for a failure report. */
    public String show() {
        ExecResult result = ns.exec(COMMAND_TIMEOUT, "wg", "show", name);
        return result.ok() ? result.stdout() : result.describe();
    }

    /**
      * Stops wireguard-go (SIGTERM, SIGKILL after a grace), then removes whatever it left: the
      * interface, its UAPI socket and our key file.
      */
    @Override
    public void close() {
        Commands.terminate(process.toHandle(), STOP_GRACE);
        if (ns.exists() && ns.exec(COMMAND_TIMEOUT, "ip", "link", "show", name).ok()) {
            ns.exec(COMMAND_TIMEOUT, "ip", "link", "del", name);
        }
        try {
            Files.deleteIfExists(uapiSocket(name));
            Files.deleteIfExists(privateKeyFile);
        } catch (IOException e) {
            throw new LabException("cannot remove the files of wireguard-go " + name, e);
        }
    }

    private static Path uapiSocket(String name) {
        return UAPI_DIR.resolve(name + ".sock");
    }

    private static void writePrivate(Path file, String text) {
        try {
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new LabException("cannot write " + file, e);
        }
    }
}
