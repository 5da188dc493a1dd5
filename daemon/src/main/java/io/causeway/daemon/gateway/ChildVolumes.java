package io.causeway.daemon.gateway;

import io.causeway.esp.SaCounters;
import io.causeway.ike.sa.ChildUsage;

/**
 * The data plane's per-SA counters as the engine reads them for byte and packet lifetimes
 * (lifebytes, lifepackets). The workers update the counters; this only reads them, on the control
 * thread, when the engine checks volumes.
 */
final class ChildVolumes implements ChildUsage {
    private final TunnelBook book;

    ChildVolumes(TunnelBook book) {
        this.book = book;
    }

    @Override
    public Counters counters(int spi, boolean inbound) {
        InstalledChild child = inbound ? book.child(spi) : book.childByOutboundSpi(spi);
        if (child == null) {
            return Counters.NONE;
        }
        if (inbound) {
            SaCounters in = child.in().counters();
            return new Counters(in.bytesIn(), in.packetsIn());
        }
        SaCounters out = child.out().counters();
        return new Counters(out.bytesOut(), out.packetsOut());
    }
}
