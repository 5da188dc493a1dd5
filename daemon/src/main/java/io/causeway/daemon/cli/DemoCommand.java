package io.causeway.daemon.cli;

import io.causeway.daemon.control.ControlClient;
import io.causeway.lab.CausewayProcess;
import io.causeway.lab.Commands;
import io.causeway.lab.ExecResult;
import io.causeway.lab.Iperf3;
import io.causeway.lab.LabHost;
import io.causeway.lab.Ping;
import io.causeway.lab.RunPrefix;
import io.causeway.lab.StaticTunnelSpec;
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
            "Two gateways in two network namespaces, one ESP tunnel, ping and iperf3 across, all removed.",
            "Needs root. Installs iputils-ping and iperf3 with apt-get when they are missing."
        })
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--seconds", defaultValue = "5", description = "length of the iperf3 run (default ${DEFAULT-VALUE})")
    int seconds;

    @Option(names = "--suite", defaultValue = "aes128gcm16", description = "ESP suite (default ${DEFAULT-VALUE})")
    String suite;

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
            StaticTunnelSpec spec = StaticTunnelSpec.forTopology(topo).suite(suite);
            StaticTunnelSpec.Files files = spec.writeTo(dir);
            try (CausewayProcess west = CausewayProcess.startStaticTunnel(topo.west(), files.westFile(), dir.resolve("west.log"));
                    CausewayProcess east = CausewayProcess.startStaticTunnel(topo.east(), files.eastFile(), dir.resolve("east.log"))) {
                say("2. a Causeway data plane in each namespace: ESP %s in UDP 4500 over a TUN device,", suite);
                say("   fixed test keys for now (IKEv2 negotiates them once the IKE issue lands)");
                // The first packets also load and compile the data path's code in both JVMs.
                long start = System.nanoTime();
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
                System.out.print(statusTable(Path.of(spec.westSocket())).indent(3));
                boolean ok = v4.allReceived() && v6.allReceived() && tcp.bitsPerSecond() > 0;
                say("6. removing the namespaces, devices and processes");
                return ok ? ExitCodes.OK : ExitCodes.FAILED;
            }
        } finally {
            RunPrefix.cleanupThisRun();
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
