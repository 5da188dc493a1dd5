package io.causeway.daemon.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Changes the running daemon's log level, for everything or for one connection's messages only. */
@Command(
        name = "log-level",
        mixinStandardHelpOptions = true,
        description = {
            "Change the daemon's log level at run time (until it restarts).",
            "Without NAME: every message, and per-connection levels are dropped (log-level info is the way back).",
            "With NAME: only that connection's messages, e.g. log-level debug office while the rest stays at info."
        })
final class LogLevelCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "LEVEL", description = "error, warn, info, debug or trace")
    String level;

    @Parameters(index = "1", arity = "0..1", paramLabel = "NAME", description = "only this connection's messages")
    String name;

    @Mixin
    SocketOption socket;

    @Override
    public Integer call() {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("cmd", "log-level");
        request.put("level", level);
        if (name != null) request.put("name", name);
        ControlRequest.Outcome outcome = ControlRequest.send(socket.path, request);
        if (!outcome.ok()) return outcome.exitCode();
        Object root = outcome.response().get("level");
        if (name == null) {
            System.out.println("log level " + root);
        } else {
            System.out.println(name + ": log level " + level.toLowerCase(java.util.Locale.ROOT)
                    + " (other messages: " + root + ")");
        }
        return ExitCodes.OK;
    }
}
