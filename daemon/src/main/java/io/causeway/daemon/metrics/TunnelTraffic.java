package io.causeway.daemon.metrics;

import io.causeway.esp.SaCounters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Bytes and packets per tunnel over all its CHILD_SAs, the removed ones included: a removed SA's
 * last values move into the tunnel's running total, so a rekey never makes a counter go back.
 * Live SAs are read from their own counters at scrape time; the data path does nothing extra.
 */
final class TunnelTraffic {
    /** One tunnel's totals; bytes are inner-packet bytes, as the SA counters count them. */
    record Totals(long bytesIn, long bytesOut, long packetsIn, long packetsOut) {
        static final Totals ZERO = new Totals(0, 0, 0, 0);

        Totals plus(Meter m) {
            return new Totals(bytesIn + m.bytesIn(), bytesOut + m.bytesOut(), packetsIn + m.packetsIn(),
                    packetsOut + m.packetsOut());
        }
    }

    /** One CHILD_SA pair's counters as they are now. */
    interface Meter {
        long bytesIn();

        long bytesOut();

        long packetsIn();

        long packetsOut();

        /** In from the inbound SA, out from the outbound one. */
        static Meter of(SaCounters in, SaCounters out) {
            return new Meter() {
                public long bytesIn() {
                    return in.bytesIn();
                }

                public long bytesOut() {
                    return out.bytesOut();
                }

                public long packetsIn() {
                    return in.packetsIn();
                }

                public long packetsOut() {
                    return out.packetsOut();
                }
            };
        }
    }

    private record LiveSa(int inboundSpi, Meter meter) {}

    private final Map<String, Totals> retired = new HashMap<>();
    private final Map<String, List<LiveSa>> live = new LinkedHashMap<>();

    /** Whether the tunnel already had a live SA: a make-before-break rekey installs the new one first. */
    synchronized boolean installed(String tunnel, int inboundSpi, Meter meter) {
        List<LiveSa> sas = live.computeIfAbsent(tunnel, t -> new ArrayList<>());
        boolean replacing = !sas.isEmpty();
        sas.add(new LiveSa(inboundSpi, meter));
        return replacing;
    }

    synchronized void removed(String tunnel, int inboundSpi) {
        List<LiveSa> sas = live.get(tunnel);
        if (sas == null) return;
        for (LiveSa sa : sas) {
            if (sa.inboundSpi() == inboundSpi) {
                sas.remove(sa);
                retired.put(tunnel, retired.getOrDefault(tunnel, Totals.ZERO).plus(sa.meter()));
                return;
            }
        }
    }

    /** Totals per tunnel that ever had an SA; under the same lock as removal, so no SA is counted twice. */
    synchronized Map<String, Totals> totals() {
        Map<String, Totals> all = new LinkedHashMap<>(retired);
        for (Map.Entry<String, List<LiveSa>> e : live.entrySet()) {
            Totals t = all.getOrDefault(e.getKey(), Totals.ZERO);
            for (LiveSa sa : e.getValue()) t = t.plus(sa.meter());
            all.put(e.getKey(), t);
        }
        return all;
    }
}
