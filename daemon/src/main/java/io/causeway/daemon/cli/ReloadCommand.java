package io.causeway.daemon.cli;

import io.causeway.daemon.control.ControlClient;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Asks the daemon to re-read its configuration; only the connections that changed are touched. */
@Command(
        name = "reload",
        mixinStandardHelpOptions = true,
        description = {"Re-read ipsec.conf and ipsec.secrets in the running daemon (as SIGHUP does).",
            "Added connections start per auto, removed ones are closed, changed ones are closed and started again;",
            "unchanged ones keep their SAs. An invalid configuration changes nothing: every error is printed, exit 1."})
final class ReloadCommand implements Callable<Integer> {
    @Mixin
    SocketOption socket;

    @Override
    public Integer call() {
        Map<String, Object> response;
        try {
            response = ControlClient.call(socket.path, Map.of("cmd", "reload"));
        } catch (ControlClient.Unreachable e) {
            return ControlRequest.failed("causeway: " + e.getMessage(), ExitCodes.UNREACHABLE).exitCode();
        } catch (IOException e) {
            return ControlRequest.failed("causeway: control socket " + socket.path + ": " + e.getMessage(), ExitCodes.FAILED)
                    .exitCode();
        }
        if (!Boolean.TRUE.equals(response.get("ok"))) {
            System.err.println("causeway: reload: " + response.get("error"));
            for (Object e : list(response.get("errors"))) System.err.println("error: " + e);
            return Boolean.TRUE.equals(response.get("config_error")) ? ExitCodes.USAGE : ExitCodes.FAILED;
        }
        for (String group : List.of("added", "removed", "changed", "unchanged")) {
            List<?> names = list(response.get(group));
            System.out.println(group + ": " + (names.isEmpty() ? "-" : String.join(" ", names.stream().map(String::valueOf).toList())));
        }
        return ExitCodes.OK;
    }

    private static List<?> list(Object value) {
        return value instanceof List<?> l ? l : List.of();
    }
}
