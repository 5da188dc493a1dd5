package io.causeway.daemon.cli;

import io.causeway.daemon.control.ControlClient;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One request of a CLI command to the daemon, with the failures every command reports the same
 * way: daemon not running (exit 2), a name the configuration lacks (exit 1), anything else (exit 3).
 */
final class ControlRequest {
    /** The daemon's answer, or the exit code and the one line already printed to stderr. */
    record Outcome(Map<String, Object> response, int exitCode) {
        boolean ok() {
            return response != null;
        }
    }

    private ControlRequest() {}

    static Outcome send(Path socket, String cmd, String name) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("cmd", cmd);
        if (name != null) request.put("name", name);
        return send(socket, request);
    }

    /** A request with more than a name, e.g. log-level's level. */
    static Outcome send(Path socket, Map<String, Object> request) {
        Map<String, Object> response;
        try {
            response = ControlClient.call(socket, request);
        } catch (ControlClient.Unreachable e) {
            return failed("causeway: " + e.getMessage(), ExitCodes.UNREACHABLE);
        } catch (IOException e) {
            return failed("causeway: control socket " + socket + ": " + e.getMessage(), ExitCodes.FAILED);
        }
        if (!Boolean.TRUE.equals(response.get("ok"))) {
            return failed("causeway: " + response.get("error"),
                    Boolean.TRUE.equals(response.get("usage_error")) ? ExitCodes.USAGE : ExitCodes.FAILED);
        }
        return new Outcome(response, ExitCodes.OK);
    }

    static Outcome failed(String line, int exitCode) {
        System.err.println(line);
        return new Outcome(null, exitCode);
    }
}
