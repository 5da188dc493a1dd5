package io.causeway.daemon.cli;

import io.causeway.daemon.control.ControlClient;
import io.causeway.lab.CausewayProcess;
import io.causeway.lab.Commands;
import io.causeway.lab.ExecResult;
import io.causeway.lab.Iperf3;
import io.causeway.lab.LabHost;
import io.causeway.lab.Ping;
import io.causeway.lab.RunPrefix;
import io.causeway.lab.CausewayLauncher;
import io.causeway.lab.Poll;
import io.causeway.lab.Topology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
  * Two gateways in two network namespaces, one ESP tunnel between them, real traffic across,
  * then everything removed. Until IKE lands the tunnel runs with fixed test keys.
  */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Two gateways in two namespaces negotiate IKEv2, ping and iperf3 go across, all is removed.",
            "Needs root. Installs iputils-ping and iperf3 with apt-get when they are missing."
        })
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--seconds", defaultValue = "5", description = "length of the iperf3 run (default ${DEFAULT-VALUE})")
    int seconds;

    private static final String IKE = "aes256gcm16-prfsha384-ecp384";
    private static final String ESP = "aes128gcm16";
    /** The demo's own throwaway key, in files under its work directory that are removed at the end. */
    private static final String DEMO_PSK = "causeway demo key, thrown away with the namespaces";
    private static final Duration READY = Duration.ofSeconds(30);

    @Override
    public Integer call() throws Exception {
        if (!LabHost.isRoot()) {
            System.err.println("causeway demo: run as root (it creates network namespaces and TUN devices)");
            return ExitCodes.USAGE;
        }
        if (!installTrafficTools()) return ExitCodes.FAILED;
        RunPrefix.cleanupDeadRuns();
        String prefix = RunPrefix.next();
        Runtime.getRuntime().addShutdownHook(new Thread(RunPrefix::cleanupThisRun, "demo-cleanup"));
        Path dir = Files.createDirectories(RunPrefix.workDir(prefix, "demo"));
        try (Topology topo = Topology.create(prefix, false)) {
            say("1. namespaces %s (west, %s) and %s (east, %s), joined by a veth pair",
                    topo.west().name(), topo.westOuterV4(), topo.east().name(), topo.eastOuterV4());
            say("   west's LAN host %s and %s; east's LAN host %s and %s",
                    topo.westHostV4(), topo.westHostV6(), topo.eastHostV4(), topo.eastHostV6());
            Path westSocket = dir.resolve("west.sock");
            Path eastSocket = dir.resolve("east.sock");
            CausewayLauncher launcher = CausewayLauncher.locate();
            try (CausewayProcess east = CausewayProcess.startDaemon(topo.east(), launcher,
                    write(dir, "east.conf", config(topo.eastOuterV4(), "east.example", Topology.EAST_SUBNET_V4,
                            Topology.EAST_SUBNET_V6, "%any", "west.example", Topology.WEST_SUBNET_V4,
                            Topology.WEST_SUBNET_V6, "add")),
                    write(dir, "east.secrets", "east.example west.example : PSK \"" + DEMO_PSK + "\"\n"),
                    eastSocket.toString(), dir.resolve("east.log"), READY);
                    CausewayProcess west = CausewayProcess.startDaemon(topo.west(), launcher,
                            write(dir, "west.conf", config(topo.westOuterV4(), "west.example", Topology.WEST_SUBNET_V4,
                                    Topology.WEST_SUBNET_V6, topo.eastOuterV4(), "east.example",
                                    Topology.EAST_SUBNET_V4, Topology.EAST_SUBNET_V6, "start")),
                            write(dir, "west.secrets", "west.example east.example : PSK \"" + DEMO_PSK + "\"\n"),
                            westSocket.toString(), dir.resolve("west.log"), READY)) {
                long start = System.nanoTime();
                say("2. a Causeway daemon in each namespace; west initiates IKEv2 (%s, ESP %s) with a pre-shared key",
                        IKE, ESP);
                if (!Poll.until(READY, () -> connected(westSocket) && connected(eastSocket))) {
                    say("   the tunnel did not come up:%n%s", statusTable(westSocket));
                    return ExitCodes.FAILED;
                }
                say("   CONNECTED after %d ms", (System.nanoTime() - start) / 1_000_000);
                // The first packets also load and compile the data path's code in both JVMs.
                start = System.nanoTime();
                Ping.awaitReply(topo.west(), topo.westHostV4(), topo.eastHostV4(), Duration.ofSeconds(20));
                say("3. first ping through the tunnel answered after %d ms (JVM warm-up included)",
                        (System.nanoTime() - start) / 1_000_000);
                Ping.Result v4 = Ping.run(topo.west(), topo.westHostV4(), topo.eastHostV4(), 3);
                say("   ping %s -> %s through the tunnel: %d/%d replies, avg %.2f ms",
                        topo.westHostV4(), topo.eastHostV4(), v4.received(), v4.transmitted(), v4.rttAvgMillis());
                Ping.Result v6 = Ping.run(topo.east(), topo.eastHostV6(), topo.westHostV6(), 3);
                say("   ping %s -> %s (IPv6 inside): %d/%d replies, avg %.2f ms",
                        topo.eastHostV6(), topo.westHostV6(), v6.received(), v6.transmitted(), v6.rttAvgMillis());
                Iperf3.Result tcp = Iperf3.measure(topo.east(), topo.eastHostV4(), topo.west(), topo.westHostV4(), seconds, dir);
                say("4. iperf3 TCP %s -> %s for %d s: %.0f Mbit/s", topo.westHostV4(), topo.eastHostV4(), seconds,
                        tcp.mbitPerSecond());
                say("5. causeway status on west:");
                System.out.print(statusTable(westSocket).indent(3));
                boolean ok = v4.allReceived() && v6.allReceived() && tcp.bitsPerSecond() > 0;
                say("6. stopping the daemons (they send IKE DELETEs), removing the namespaces and devices");
                return ok ? ExitCodes.OK : ExitCodes.FAILED;
            }
        } finally {
            RunPrefix.cleanupThisRun();
        }
    }

    private static String config(String left, String leftId, String leftV4, String leftV6, String right,
                                 String rightId, String rightV4, String rightV6, String auto) {
        return String.join("\n",
                "conn demo",
                "    keyexchange=ikev2",
                "    left=" + left,
                "    leftid=" + leftId,
                "    leftsubnet=" + leftV4 + "," + leftV6,
                "    right=" + right,
                "    rightid=" + rightId,
                "    rightsubnet=" + rightV4 + "," + rightV6,
                "    authby=psk",
                "    ike=" + IKE + "!",
                "    esp=" + ESP + "!",
                "    auto=" + auto,
                "");
    }

    private static Path write(Path dir, String name, String text) throws java.io.IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    @SuppressWarnings("unchecked")
    private static boolean connected(Path socket) {
        try {
            Map<String, Object> response = ControlClient.call(socket, Map.of("cmd", "status"));
            List<Map<String, Object>> tunnels = (List<Map<String, Object>>) response.get("tunnels");
            return tunnels != null && !tunnels.isEmpty() && "CONNECTED".equals(tunnels.get(0).get("state"));
        } catch (Exception e) {
            return false;
        }
    }

    private static String statusTable(Path socket) throws Exception {
        Map<String, Object> response = ControlClient.call(socket, Map.of("cmd", "status"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> tunnels = (List<Map<String, Object>>) response.get("tunnels");
        return StatusTable.render(tunnels);
    }

    private static boolean installTrafficTools() {
        List<String> missing = LabHost.missing("ping", "iperf3");
        if (missing.isEmpty()) return true;
        say("installing iputils-ping and iperf3 with apt-get for the demo's traffic (missing: %s)",
                String.join(", ", missing));
        ExecResult update = Commands.run(Duration.ofMinutes(5), "apt-get", "update", "-q");
        ExecResult install = Commands.run(Duration.ofMinutes(5), "env", "DEBIAN_FRONTEND=noninteractive",
                "apt-get", "install", "-y", "-q", "--no-install-recommends", "iputils-ping", "iperf3");
        if (update.ok() && install.ok()) return true;
        System.err.println("causeway demo: could not install iputils-ping and iperf3:\n" + install.describe());
        return false;
    }

    private static void say(String format, Object... args) {
        System.out.println(String.format(format, args));
    }
}
