package io.causeway.ike.sa;

import io.causeway.esp.LimitKind;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A data plane's counting of one SA (one direction of an installed CHILD_SA) against the limits the engine installed
 * it with, reported as esp's Lifetime reports them: each limit once, when a count first reaches it, soft before hard.
 */
final class VolumeMeter {
    private final IkeEngine engine;
    private final ChildSaInstall sa;
    private final Set<LimitKind> reported = EnumSet.noneOf(LimitKind.class);
    /** Every report handed to the engine, in order. */
    final List<LimitKind> reports = new ArrayList<>();
    private long bytes;
    private long packets;

    VolumeMeter(IkeEngine engine, ChildSaInstall sa) {
        this.engine = engine;
        this.sa = sa;
    }

    /** The SA has now carried this many bytes and packets in all (counts only grow). */
    void counted(long totalBytes, long totalPackets, long now) {
        bytes = Math.max(bytes, totalBytes);
        packets = Math.max(packets, totalPackets);
        VolumeLimits l = sa.limits();
        reportAt(packets, l.softPackets(), LimitKind.SOFT_PACKETS, now);
        reportAt(bytes, l.softBytes(), LimitKind.SOFT_BYTES, now);
        reportAt(packets, l.hardPackets(), LimitKind.HARD_PACKETS, now);
        reportAt(bytes, l.hardBytes(), LimitKind.HARD_BYTES, now);
    }

    /** The outbound SA ran out of sequence numbers. */
    void exhausted(long now) {
        report(LimitKind.SEQUENCE_EXHAUSTED, now);
    }

    private void reportAt(long count, long limit, LimitKind kind, long now) {
        if (count >= limit) {
            report(kind, now);
        }
    }

    private void report(LimitKind kind, long now) {
        if (reported.add(kind)) {
            reports.add(kind);
            engine.volumeLimitReached(sa.inboundSpi(), kind, now);
        }
    }
}
