package io.causeway.daemon.cli;

import io.causeway.daemon.control.ControlClient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Waits on the client side for a tunnel to reach a state: polls `status NAME` over the control
 * socket until the state is one of those awaited or the deadline passes. Polling keeps the daemon's
 * one-request-at-a-time control socket free while IKE runs.
 */
final class TunnelWait {
    /** Short next to an IKE round trip, cheap for the daemon (one status call). */
    static final Duration POLL_INTERVAL = Duration.ofMillis(20);

    /** What the last status said; {@code reached} tells whether it is one of the awaited states. */
    record Seen(boolean reached, String state, String lastError, boolean trap) {}

    private TunnelWait() {}

    static Seen until(Path socket, String name, Set<String> awaited, Duration timeout)
            throws ControlClient.Unreachable, IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Seen seen = poll(socket, name, awaited);
            if (seen.reached() || System.nanoTime() - deadline >= 0) return seen;
            try {
                Thread.sleep(Math.min(POLL_INTERVAL.toMillis(),
                        Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return seen;
            }
        }
    }

    private static Seen poll(Path socket, String name, Set<String> awaited)
            throws ControlClient.Unreachable, IOException {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("cmd", "status");
        request.put("name", name);
        Map<String, Object> response = ControlClient.call(socket, request);
        if (!Boolean.TRUE.equals(response.get("ok"))) {
            throw new IOException(String.valueOf(response.get("error")));
        }
        if (!(response.get("tunnels") instanceof List<?> tunnels) || tunnels.isEmpty()
                || !(tunnels.get(0) instanceof Map<?, ?> tunnel)) {
            throw new IOException("the daemon's status has no tunnel " + name);
        }
        String state = String.valueOf(tunnel.get("state"));
        Object error = tunnel.get("last_error");
        return new Seen(awaited.contains(state), state, error == null ? null : error.toString(),
                Boolean.TRUE.equals(tunnel.get("trap")));
    }
}
