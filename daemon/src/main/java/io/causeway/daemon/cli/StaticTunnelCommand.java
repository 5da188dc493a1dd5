package io.causeway.daemon.cli;

import io.causeway.daemon.statictunnel.StaticTunnel;
import io.causeway.daemon.statictunnel.StaticTunnelConfig;
import io.causeway.daemon.systemd.TunnelSummary;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
  * Runs the data plane with fixed keys from a properties file until SIGTERM. A test fixture for
  * the namespace tests, the demo and the throughput harness, hence hidden from --help.
  */
@Command(
        name = "static-tunnel",
        hidden = true,
        mixinStandardHelpOptions = true,
        description = "Run one ESP tunnel with fixed test keys (test fixture; no IKE).")
final class StaticTunnelCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "properties file with the tunnel and its keys")
    Path file;

    @Override
    public Integer call() throws Exception {
        StaticTunnelConfig config;
        try {
            config = StaticTunnelConfig.load(file);
        } catch (StaticTunnelConfig.Invalid e) {
            System.err.println(e.getMessage());
            return ExitCodes.USAGE;
        }
        StaticTunnel tunnel;
        try {
            tunnel = StaticTunnel.start(config);
        } catch (Exception e) { // Netty rethrows bind errors (IOExceptions) unchecked-style
            System.err.println("causeway: cannot start the tunnel: " + e.getMessage());
            return ExitCodes.FAILED;
        }
        return Foreground.run(config.socket(), request -> answer(tunnel, request), tunnel,
                () -> TunnelSummary.of(List.of(tunnel.status())));
    }

    private static Map<String, Object> answer(StaticTunnel tunnel, Map<String, Object> request) {
        Object cmd = request.get("cmd");
        if (!"status".equals(cmd)) return Map.of("ok", false, "error", "unknown command " + cmd);
        Object name = request.get("name");
        if (name != null && !name.equals(tunnel.name())) {
            return Map.of("ok", false, "error", "no tunnel named " + name);
        }
        return Map.of("ok", true, "tunnels", List.of(tunnel.status()));
    }
}
