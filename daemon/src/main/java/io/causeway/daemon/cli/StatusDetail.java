package io.causeway.daemon.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * `status NAME`: one tunnel in detail, like a cloud console's tunnel page: where it goes, since when, and its IKE SA
 * and each CHILD_SA with SPIs, proposal, counters and timers. Reads the `status --json` object of the tunnel.
 */
final class StatusDetail {
    private static final int LABEL_WIDTH = 16;

    private final StringBuilder out = new StringBuilder();

    private StatusDetail() {}

    static String render(Map<String, Object> t) {
        StatusDetail d = new StatusDetail();
        d.out.append(str(t.get("name"))).append(": ").append(state(t)).append('\n');
        d.field("peer", str(t.get("remote")) + " (local " + str(t.get("local")) + ")");
        d.field("identities", str(t.get("local_id")) + " (local), " + str(t.get("remote_id")) + " (remote)");
        d.field("subnets", join(t.get("local_subnets")) + " === " + join(t.get("remote_subnets")));
        Map<String, Object> ike = map(t.get("ike"));
        d.field("established", ike.get("established_s") instanceof Number n ? human(n.longValue()) + " ago" : "-");
        d.field("last error", t.get("last_error") == null ? "none" : str(t.get("last_error")));
        if (Boolean.TRUE.equals(t.get("trap"))) {
            d.field("trap", "yes: traffic to the remote subnets initiates"
                    + (t.get("trap_held") instanceof Number n && n.longValue() > 0 ? ", " + n + " packet(s) held" : ""));
        }
        List<String> notRouted = strings(t.get("routes_not_installed"));
        if (!notRouted.isEmpty()) {
            d.field("routes", "not installed, the host routes them elsewhere: " + String.join(", ", notRouted));
        }
        d.ike(str(t.get("version")), ike);
        List<Map<String, Object>> children = maps(t.get("children"));
        if (children.isEmpty()) {
            d.field("CHILD_SA", "none");
        }
        for (Map<String, Object> c : children) {
            d.child(c);
        }
        return d.out.toString();
    }

    private void ike(String version, Map<String, Object> ike) {
        if (ike.isEmpty()) {
            field("IKE SA", "none");
            return;
        }
        String role = Boolean.TRUE.equals(ike.get("initiator")) ? "we initiated" : "peer initiated";
        field("IKE SA", version + ", " + role + ", SPIs " + str(ike.get("spi_i")) + " (i) " + str(ike.get("spi_r")) + " (r)");
        more(str(ike.get("proposal")) + ", NAT " + (Boolean.TRUE.equals(ike.get("nat")) ? "yes (UDP 4500)" : "no")
                + ", " + countdown("rekey", ike.get("rekey_in_s")));
        if (ike.get("shared_with") instanceof List<?> others && !others.isEmpty()) {
            more("shared with " + join(others));
        }
    }

    private void child(Map<String, Object> c) {
        field("CHILD_SA " + str(c.get("name")), "SPIs " + str(c.get("spi_in")) + " (in) " + str(c.get("spi_out"))
                + " (out), " + str(c.get("proposal")) + ", " + str(c.get("mode"))
                + (Boolean.TRUE.equals(c.get("encap")) ? ", ESP in UDP" : ", ESP"));
        more(join(c.get("local_ts")) + " === " + join(c.get("remote_ts")));
        more("in " + StatusTable.human(c.get("bytes_in")) + ", " + c.get("packets_in") + " packets; out "
                + StatusTable.human(c.get("bytes_out")) + ", " + c.get("packets_out") + " packets");
        List<String> timers = new ArrayList<>();
        timers.add(countdown("rekey", c.get("rekey_in_s")));
        timers.add(c.get("expires_in_s") instanceof Number n ? "expires in " + human(n.longValue()) : "no expiry");
        if (c.get("installed_s") instanceof Number n) timers.add("up for " + human(n.longValue()));
        more(String.join(", ", timers));
    }

    private void field(String label, String value) {
        String padded = label.length() >= LABEL_WIDTH ? label + " " : label + " ".repeat(LABEL_WIDTH - label.length());
        out.append("  ").append(padded).append(value).append('\n');
    }

    private void more(String value) {
        out.append("  ").append(" ".repeat(LABEL_WIDTH)).append(value).append('\n');
    }

    private static String countdown(String what, Object seconds) {
        return seconds instanceof Number n ? what + " in " + human(n.longValue()) : "no " + what + " scheduled";
    }

    /** An idle trapped connection is DOWN but comes up by itself on traffic, as the table says too. */
    private static String state(Map<String, Object> t) {
        String state = str(t.get("state"));
        return "DOWN".equals(state) && Boolean.TRUE.equals(t.get("trap")) ? "DOWN (trap)" : state;
    }

    /** 45s, 5m 3s, 2h 45m, 3d 4h: the two largest units. */
    static String human(long seconds) {
        long d = seconds / 86_400;
        long h = seconds % 86_400 / 3600;
        long m = seconds % 3600 / 60;
        long s = seconds % 60;
        if (d > 0) return d + "d " + h + "h";
        if (h > 0) return h + "h " + m + "m";
        if (m > 0) return m + "m " + s + "s";
        return s + "s";
    }

    private static String join(Object list) {
        List<String> items = strings(list);
        return items.isEmpty() ? "-" : String.join(",", items);
    }

    private static String str(Object o) {
        return o == null ? "" : o.toString();
    }

    private static List<String> strings(Object o) {
        List<String> out = new ArrayList<>();
        if (o instanceof List<?> l) for (Object x : l) out.add(String.valueOf(x));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> ? (Map<String, Object>) o : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> maps(Object o) {
        return o instanceof List<?> ? (List<Map<String, Object>>) o : List.of();
    }
}
