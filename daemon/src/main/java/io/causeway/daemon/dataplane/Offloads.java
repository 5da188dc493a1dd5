package io.causeway.daemon.dataplane;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Which kernel offloads the data plane asks for. {@code tun}: the TUN device hands over and takes TCP/UDP
 * super-packets (IFF_VNET_HDR with TSO/USO; split before sealing, coalesced after opening). {@code udpGso}: the
 * sealed datagrams of one read leave in one sendmsg (UDP_SEGMENT); receiving in GRO batches (UDP_GRO) is always
 * asked for, since it costs nothing when the sender does not batch. All are on by default and each falls back by
 * itself where the kernel lacks it; the system property {@code causeway.offload} ("none", or a comma list of
 * {@code tun} and {@code gso}) turns them off, to compare in a benchmark.
 */
public record Offloads(boolean tun, boolean udpGso) {
    public static final Offloads ALL = new Offloads(true, true);
    public static final Offloads NONE = new Offloads(false, false);
    static final String PROPERTY = "causeway.offload";

    /** What {@code causeway.offload} asks for; all when unset. */
    public static Offloads fromSystemProperty() {
        return parse(System.getProperty(PROPERTY));
    }

    static Offloads parse(String value) {
        if (value == null || value.isBlank()) return ALL;
        List<String> names = Arrays.stream(value.toLowerCase(Locale.ROOT).split(",")).map(String::trim).toList();
        for (String n : names) {
            if (!n.equals("none") && !n.equals("tun") && !n.equals("gso")) {
                throw new IllegalArgumentException("-D" + PROPERTY + "=" + value + ": '" + n
                        + "' is not one of none, tun, gso");
            }
        }
        return new Offloads(names.contains("tun"), names.contains("gso"));
    }
}
