package io.causeway.daemon.gateway;

import java.util.HashMap;
import java.util.Map;

/**
 * When ESP last arrived on an inbound SA, for DPD (RFC 7296 2.4: no liveness check while traffic
 * flows). Derived from the SA's packet counter each time the engine asks, so the data path pays
 * nothing for it. Used on the control thread only.
 */
final class InboundActivity {
    private record Seen(long packets, long atMillis) {}

    private final TunnelBook book;
    private final Map<Integer, Seen> seen = new HashMap<>();

    InboundActivity(TunnelBook book) {
        this.book = book;
    }

    long lastInboundMillis(int inboundSpi, long now) {
        InstalledChild child = book.child(inboundSpi);
        if (child == null) {
            seen.remove(inboundSpi);
            return Long.MIN_VALUE;
        }
        long packets = child.in().counters().packetsIn();
        Seen before = seen.get(inboundSpi);
        if (before == null) {
            // first question: count traffic since installation as activity at installation
            Seen first = new Seen(packets, packets > 0 ? now : child.installedAtMillis());
            seen.put(inboundSpi, first);
            return first.atMillis();
        }
        if (packets != before.packets()) {
            seen.put(inboundSpi, new Seen(packets, now));
            return now;
        }
        return before.atMillis();
    }
}
