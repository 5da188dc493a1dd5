package io.causeway.daemon.cli;

import io.causeway.daemon.control.ControlClient;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Asks the daemon to close one connection (IKE DELETE to the peer) and waits until it is DOWN. */
@Command(
        name = "down",
        mixinStandardHelpOptions = true,
        description = {"Close one connection (sends the IKE DELETE) and wait until it is DOWN.",
            "An auto=route connection keeps its trap: the next packet for it initiates again."})
final class DownCommand implements Callable<Integer> {
    @Parameters(paramLabel = "NAME", description = "the connection (conn NAME in ipsec.conf)")
    String name;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class,
            description = "how long to wait for DOWN (default: ${DEFAULT-VALUE})")
    Duration timeout;

    @Option(names = "--no-wait", description = "return as soon as the daemon accepted the request")
    boolean noWait;

    @Mixin
    SocketOption socket;

    @Override
    public Integer call() {
        ControlRequest.Outcome accepted = ControlRequest.send(socket.path, "down", name);
        if (!accepted.ok()) return accepted.exitCode();
        boolean already = Boolean.TRUE.equals(accepted.response().get("already"));
        if (noWait) {
            System.out.println(name + ": closing");
            return ExitCodes.OK;
        }
        TunnelWait.Seen seen;
        try {
            seen = TunnelWait.until(socket.path, name, Set.of("DOWN"), timeout);
        } catch (ControlClient.Unreachable e) {
            return ControlRequest.failed("causeway: " + e.getMessage(), ExitCodes.UNREACHABLE).exitCode();
        } catch (IOException e) {
            return ControlRequest.failed("causeway: " + name + ": " + e.getMessage(), ExitCodes.FAILED).exitCode();
        }
        if (!seen.reached()) {
            return ControlRequest.failed("causeway: " + name + ": not DOWN after " + UpCommand.describe(timeout)
                    + " (state " + seen.state() + ")", ExitCodes.FAILED).exitCode();
        }
        String trap = seen.trap() ? " (auto=route: the trap stays, the next packet brings it up again)" : "";
        System.out.println(name + ": " + (already ? "already DOWN" : "DOWN") + trap);
        return ExitCodes.OK;
    }
}
