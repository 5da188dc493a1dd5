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

/** Asks the daemon to initiate one connection and waits until it is CONNECTED or has failed. */
@Command(
        name = "up",
        mixinStandardHelpOptions = true,
        description = {"Initiate one connection and wait until it is CONNECTED.",
            "Exit 0 when connected (or already connected), 3 when negotiation failed or the timeout passed."})
final class UpCommand implements Callable<Integer> {
    private static final Set<String> SETTLED = Set.of("CONNECTED", "PHASE1_FAILED", "PHASE2_FAILED", "DOWN");

    @Parameters(paramLabel = "NAME", description = "the connection (conn NAME in ipsec.conf)")
    String name;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class,
            description = "how long to wait for CONNECTED (default: ${DEFAULT-VALUE}; e.g. 500ms, 30s, 2m)")
    Duration timeout;

    @Option(names = "--no-wait", description = "return as soon as the daemon accepted the request")
    boolean noWait;

    @Mixin
    SocketOption socket;

    @Override
    public Integer call() {
        long start = System.nanoTime();
        ControlRequest.Outcome accepted = ControlRequest.send(socket.path, "up", name);
        if (!accepted.ok()) return accepted.exitCode();
        String state = String.valueOf(accepted.response().get("state"));
        if ("CONNECTED".equals(state) && Boolean.TRUE.equals(accepted.response().get("already"))) {
            System.out.println(name + ": already CONNECTED");
            return ExitCodes.OK;
        }
        if (noWait) {
            System.out.println(name + ": initiating (" + state + ")");
            return ExitCodes.OK;
        }
        TunnelWait.Seen seen;
        try {
            seen = TunnelWait.until(socket.path, name, SETTLED, timeout);
        } catch (ControlClient.Unreachable e) {
            return ControlRequest.failed("causeway: " + e.getMessage(), ExitCodes.UNREACHABLE).exitCode();
        } catch (IOException e) {
            return ControlRequest.failed("causeway: " + name + ": " + e.getMessage(), ExitCodes.FAILED).exitCode();
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        if ("CONNECTED".equals(seen.state())) {
            System.out.println(name + ": CONNECTED after " + millis + " ms");
            return ExitCodes.OK;
        }
        if (!seen.reached()) {
            return ControlRequest.failed("causeway: " + name + ": not CONNECTED after " + describe(timeout)
                    + " (state " + seen.state() + (seen.lastError() == null ? "" : ", last error: " + seen.lastError())
                    + ")", ExitCodes.FAILED).exitCode();
        }
        String why = seen.lastError() != null ? seen.lastError()
                : "DOWN".equals(seen.state()) ? "closed before it connected" : "no reason given";
        return ControlRequest.failed("causeway: " + name + ": " + seen.state() + ": " + why, ExitCodes.FAILED).exitCode();
    }

    static String describe(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
