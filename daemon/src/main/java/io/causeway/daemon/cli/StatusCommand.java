package io.causeway.daemon.cli;

import io.causeway.daemon.control.Json;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Asks the running daemon for its tunnels and prints them as a table or as JSON. */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = {"Show tunnels, their state, SAs and counters.",
            "With NAME, that tunnel in detail: its IKE SA and each CHILD_SA with SPIs, proposals and timers."})
final class StatusCommand implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "NAME", description = "only this tunnel")
    String name;

    @Option(names = "--json", description = "print one JSON object (the status contract)")
    boolean json;

    @Mixin
    SocketOption socket;

    @Override
    public Integer call() {
        ControlRequest.Outcome outcome = ControlRequest.send(socket.path, "status", name);
        if (!outcome.ok()) return outcome.exitCode();
        Object tunnels = outcome.response().get("tunnels");
        if (json) {
            System.out.println(Json.write(Map.of("tunnels", tunnels)));
        } else if (name != null) {
            castList(tunnels).forEach(t -> System.out.print(StatusDetail.render(t)));
        } else {
            System.out.print(StatusTable.render(castList(tunnels)));
        }
        return ExitCodes.OK;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> castList(Object o) {
        return (List<Map<String, Object>>) o;
    }
}
