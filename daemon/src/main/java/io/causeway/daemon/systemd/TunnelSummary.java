package io.causeway.daemon.systemd;

import java.util.List;
import java.util.Map;

/** The service status line: how many tunnels there are and how they are doing, e.g. "3 tunnels, 2 connected". */
public final class TunnelSummary {
    private TunnelSummary() {}

    /** From the tunnels of a `status` answer (DESIGN.md's status --json shape; only "state" is read). */
    public static String of(List<Map<String, Object>> tunnels) {
        int connected = 0;
        int failed = 0;
        for (Map<String, Object> t : tunnels) {
            String state = String.valueOf(t.get("state"));
            if (state.equals("CONNECTED")) connected++;
            else if (state.endsWith("_FAILED")) failed++;
        }
        StringBuilder line = new StringBuilder()
                .append(tunnels.size()).append(tunnels.size() == 1 ? " tunnel, " : " tunnels, ")
                .append(connected).append(" connected");
        if (failed > 0) line.append(", ").append(failed).append(" failed");
        return line.toString();
    }

    /** The tunnels of a whole `status` answer: {"ok":true,"tunnels":[...]}. */
    @SuppressWarnings("unchecked")
    public static String ofStatus(Map<String, Object> status) {
        Object tunnels = status.get("tunnels");
        return of(tunnels instanceof List<?> list ? (List<Map<String, Object>>) list : List.of());
    }
}
