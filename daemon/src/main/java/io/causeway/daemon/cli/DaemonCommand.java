package io.causeway.daemon.cli;

import io.causeway.conf.ConfigLoader;
import io.causeway.conf.Diagnostic;
import io.causeway.conf.LoadResult;
import io.causeway.daemon.gateway.Gateway;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the gateway in the foreground until SIGTERM: IKEv2 on UDP 500/4500, ESP over a TUN device. */
@Command(
        name = "daemon",
        mixinStandardHelpOptions = true,
        description = "Run the gateway in the foreground (IKEv2 on UDP 500 and 4500, ESP over a TUN device).")
final class DaemonCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE",
            defaultValue = "${env:CAUSEWAY_CONFIG:-/etc/causeway/ipsec.conf}",
            description = "ipsec.conf (default: ${DEFAULT-VALUE}; env CAUSEWAY_CONFIG)")
    Path config;

    @Option(names = "--secrets", paramLabel = "FILE",
            defaultValue = "${env:CAUSEWAY_SECRETS:-/etc/causeway/ipsec.secrets}",
            description = "ipsec.secrets (default: ${DEFAULT-VALUE}; env CAUSEWAY_SECRETS)")
    Path secrets;

    @Option(names = "--socket", paramLabel = "PATH",
            defaultValue = "${env:CAUSEWAY_SOCKET:-/run/causeway/causeway.sock}",
            description = "control socket (default: ${DEFAULT-VALUE}; env CAUSEWAY_SOCKET)")
    Path socket;

    @Option(names = "--tun", paramLabel = "NAME", defaultValue = "cw0",
            description = "TUN device to create (default: ${DEFAULT-VALUE})")
    String tun;

    @Override
    public Integer call() throws Exception {
        LoadResult loaded = ConfigLoader.load(config, secrets);
        for (Diagnostic w : loaded.warnings()) System.err.println("warning: " + w);
        if (!loaded.ok()) {
            for (Diagnostic e : loaded.errors()) System.err.println("error: " + e);
            return ExitCodes.USAGE;
        }
        Gateway.Settings defaults = Gateway.Settings.defaults();
        Gateway gateway;
        try {
            gateway = Gateway.start(loaded.config(),
                    new Gateway.Settings(tun, defaults.workers(), defaults.ikePort(), defaults.natTraversalPort()));
        } catch (Exception e) {
            System.err.println("causeway: cannot start: " + e.getMessage());
            return ExitCodes.FAILED;
        }
        return Foreground.run(socket, request -> answer(gateway, request), gateway);
    }

    private static Map<String, Object> answer(Gateway gateway, Map<String, Object> request) {
        Object cmd = request.get("cmd");
        if (!"status".equals(cmd)) return Map.of("ok", false, "error", "unknown command " + cmd);
        try {
            return gateway.status((String) request.get("name"));
        } catch (Exception e) {
            return Map.of("ok", false, "error", "status failed: " + e.getMessage());
        }
    }
}
