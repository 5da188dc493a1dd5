package io.causeway.daemon.testing;


import io.causeway.lab.CausewayLauncher;
import io.causeway.lab.CausewayProcess;
import io.causeway.lab.Commands;
import io.causeway.lab.ExecResult;
import io.causeway.lab.LabException;
import io.causeway.lab.Netns;
import io.causeway.lab.StaticTunnelSpec;
import io.causeway.lab.Topology;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
  * A lab topology with a Causeway static tunnel on each gateway, for the data plane's namespace
  * tests. Closing it stops both data planes, deletes the namespaces and the work directory (kept
  * with {@code -Dcauseway.lab.keep=true} for a post-mortem), also when the test failed.
  */
public final class TunnelLab implements AutoCloseable {
    private static final String KEEP = "causeway.lab.keep";

    private final Topology topology;
    private final Path dir;
    private Gateway west;
    private Gateway east;
    private int westStarts = 1;

    private TunnelLab(Topology topology, Path dir) {
        this.topology = topology;
        this.dir = dir;
    }

    /**
      * Skips the calling test (JUnit assumption) unless we are root, the tools are on PATH and a
      * causeway.jar with the static-tunnel command exists. Returns how to run Causeway.
      */
    public static CausewayLauncher requireLab(String... tools) {
        LabRequirements.root();
        LabRequirements.tools(tools);
        CausewayLauncher launcher = null;
        try {
            launcher = CausewayLauncher.locate();
        } catch (LabException e) {
            LabRequirements.that(false, e.getMessage());
        }
        ExecResult help = Commands.run(Duration.ofSeconds(30), launcher.command("static-tunnel", "--help"));
        String said = help.stdout() + help.stderr();
        LabRequirements.that(said.contains("static-tunnel") && !said.contains("Unmatched argument"),
                "causeway.jar has no static-tunnel command");
        return launcher;
    }

    /** Builds the topology (and its work directory); no Causeway runs yet. */
    public static TunnelLab create(String prefix, boolean withNat) {
        Path dir = Path.of("/tmp", prefix + "dataplane");
        deleteRecursively(dir);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Topology topology;
        try {
            topology = Topology.create(prefix, withNat);
        } catch (RuntimeException e) {
            deleteRecursively(dir);
            throw e;
        }
        return new TunnelLab(topology, dir);
    }

    /** The spec's defaults for this topology (aes128gcm16, UDP, TUN cw0, sockets under /tmp). */
    public StaticTunnelSpec spec() {
        return StaticTunnelSpec.forTopology(topology);
    }

    /** Writes the spec's two files and starts east, then west; returns once both printed READY. */
    public TunnelLab start(CausewayLauncher launcher, StaticTunnelSpec spec) {
        return start(launcher, spec.west(), spec.east());
    }

    /** Starts from explicit file texts (for sides that differ in more than the mirrored keys). */
    public TunnelLab start(CausewayLauncher launcher, String westProperties, String eastProperties) {
        Path westFile = write("west.properties", westProperties);
        Path eastFile = write("east.properties", eastProperties);
        east = Gateway.start(topology.east(), launcher, eastFile, dir.resolve("east.log"));
        west = Gateway.start(topology.west(), launcher, westFile, dir.resolve("west.log"));
        return this;
    }

    /**
      * Starts west's data plane again from the same file (after the test stopped it); the old
      * process is closed first, which does nothing if it already exited.
      */
    public Gateway restartWest(CausewayLauncher launcher) {
        west.process().close();
        // a fresh log: the old one already has a READY line, which would count as ready at once
        westStarts++;
        west = Gateway.start(topology.west(), launcher, dir.resolve("west.properties"),
                dir.resolve("west-" + westStarts + ".log"));
        return west;
    }

    /**
      * Replaces (or adds) one key of a rendered properties text. StaticTunnelSpec.set writes the same
      * value to both sides; this is for the keys where west and east differ (addresses, selectors).
      */
    public static String override(String properties, String key, String value) {
        StringBuilder out = new StringBuilder();
        boolean replaced = false;
        for (String line : properties.split("\n", -1)) {
            if (line.startsWith(key + "=")) {
                out.append(key).append('=').append(value);
                replaced = true;
            } else {
                out.append(line);
            }
            out.append('\n');
        }
        String text = out.toString().replaceAll("\n+$", "\n");
        return replaced ? text : text + key + "=" + value + "\n";
    }

    public Topology topology() {
        return topology;
    }

    public Netns westNs() {
        return topology.west();
    }

    public Netns eastNs() {
        return topology.east();
    }

    public Gateway west() {
        return west;
    }

    public Gateway east() {
        return east;
    }

    public Path dir() {
        return dir;
    }

    /** Both logs, for assertion messages. */
    public String logs() {
        return "\n--- west log ---\n" + (west == null ? "(not started)" : west.process().log())
                + "\n--- east log ---\n" + (east == null ? "(not started)" : east.process().log());
    }

    private Path write(String name, String text) {
        Path file = dir.resolve(name);
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (Gateway gateway : new Gateway[] {west, east}) {
            if (gateway != null) {
                try {
                    gateway.process().close();
                } catch (RuntimeException e) {
                    failure = e;
                }
            }
        }
        try {
            topology.close();
        } catch (RuntimeException e) {
            if (failure != null) {
                e.addSuppressed(failure);
            }
            failure = e;
        }
        if (!Boolean.getBoolean(KEEP)) {
            deleteRecursively(dir);
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One running data plane and the control socket it answers on. */
    public record Gateway(Netns ns, CausewayProcess process, Path socket) {
        static Gateway start(Netns ns, CausewayLauncher launcher, Path file, Path log) {
            CausewayProcess process = CausewayProcess.startStaticTunnel(ns, launcher, file, log,
                    CausewayProcess.DEFAULT_READY_DEADLINE);
            return new Gateway(ns, process, Path.of(socketOf(file)));
        }

        /**
          * The status over the control socket, straight from the test JVM (a Unix socket is a file,
          * not bound to a network namespace). Same server and JSON as {@code status --json}, without
          * starting a JVM per poll.
          */
        public TunnelStatus status() {
            try {
                return TunnelStatus.of(process.control(Map.of("cmd", "status")));
            } catch (Exception e) {
                String why = "no status from " + ns + ": " + e.getMessage() + "\n" + process.log();
                process.checkSecrets(why, "a failed status of " + ns);
                throw new AssertionError(why, e);
            }
        }

        /** {@code causeway status --json}, the CLI, run inside the namespace. */
        public TunnelStatus cliStatus() {
            ExecResult result = process.status();
            if (!result.ok()) {
                throw new AssertionError(result.describe());
            }
            return TunnelStatus.parse(result.stdout());
        }

        private static String socketOf(Path file) {
            try {
                for (String line : Files.readAllLines(file)) {
                    if (line.startsWith("socket=")) {
                        return line.substring("socket=".length()).strip();
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            throw new IllegalStateException(file + " has no socket");
        }
    }
}
