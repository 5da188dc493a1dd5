package io.causeway.daemon.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The human status view: one row per CHILD_SA, like a cloud console's tunnel list. */
final class StatusTable {
    private static final String[] HEADER = {
        "NAME", "STATE", "PEER", "LOCAL", "REMOTE", "MODE", "PKTS IN/OUT", "BYTES IN/OUT", "LAST ERROR"
    };

    private StatusTable() {}

    static String render(List<Map<String, Object>> tunnels) {
        if (tunnels.isEmpty()) return "no tunnels\n";
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (Map<String, Object> t : tunnels) {
            List<Map<String, Object>> children = list(t.get("children"));
            if (children.isEmpty()) {
                rows.add(row(t, Map.of()));
            }
            for (Map<String, Object> c : children) rows.add(row(t, c));
        }
        return format(rows);
    }

    private static String[] row(Map<String, Object> t, Map<String, Object> c) {
        return new String[] {
            str(t.get("name")),
            state(t),
            str(t.get("remote")),
            String.join(",", strings(c.get("local_ts"))),
            String.join(",", strings(c.get("remote_ts"))),
            c.isEmpty() ? "" : str(c.get("mode")) + (Boolean.TRUE.equals(c.get("encap")) ? "/udp" : ""),
            c.isEmpty() ? "" : c.get("packets_in") + "/" + c.get("packets_out"),
            c.isEmpty() ? "" : human(c.get("bytes_in")) + "/" + human(c.get("bytes_out")),
            str(t.get("last_error"))
        };
    }

    /** An idle trapped connection is DOWN but comes up by itself on traffic; the table says so. */
    private static String state(Map<String, Object> t) {
        String state = str(t.get("state"));
        return "DOWN".equals(state) && Boolean.TRUE.equals(t.get("trap")) ? "DOWN (trap)" : state;
    }

    private static String format(List<String[]> rows) {
        int[] width = new int[HEADER.length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) width[i] = Math.max(width[i], r[i].length());
        }
        StringBuilder out = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                line.append(r[i]).append(" ".repeat(width[i] - r[i].length() + 2));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    static String human(Object bytes) {
        if (!(bytes instanceof Number n)) return "";
        double v = n.doubleValue();
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? String.format("%d%s", n.longValue(), units[0]) : String.format("%.1f%s", v, units[u]);
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
    private static List<Map<String, Object>> list(Object o) {
        return o instanceof List<?> ? (List<Map<String, Object>>) o : List.of();
    }
}
