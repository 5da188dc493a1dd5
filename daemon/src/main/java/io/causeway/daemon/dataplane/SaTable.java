package io.causeway.daemon.dataplane;

import io.causeway.esp.InboundSa;
import io.causeway.esp.OutboundSa;
import io.causeway.esp.policy.Sad;
import io.causeway.esp.policy.Spd;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
  * The SAs the workers see: an immutable snapshot (SPD, SAD and where each outbound SA sends)
  * that the control thread replaces as a whole. Workers read one volatile field per packet and
  * never lock.
  */
final class SaTable {
    /**
     * {@code newestFirst} keeps the install order, because among SAs with the same selectors the
     * SPD picks the first (its sort is stable): during a make-before-break rekey the newest SA must
     * carry the traffic while the older ones still accept what is in flight.
     */
    private record Snapshot(Spd spd, Sad sad, List<OutboundSa> newestFirst, Map<OutboundSa, OutboundPath> paths) {}

    private volatile Snapshot current = new Snapshot(Spd.EMPTY, Sad.EMPTY, List.of(), Map.of());

    OutboundPath outbound(byte[] pkt, int off, int len) {
        Snapshot s = current;
        OutboundSa sa = s.spd.lookup(pkt, off, len);
        return sa == null ? null : s.paths.get(sa);
    }

    InboundSa inbound(int spi) {
        return current.sad.lookup(spi);
    }

    /** Adds a CHILD_SA pair; the new outbound SA takes over from any with the same selectors. */
    synchronized void install(OutboundPath out, InboundSa in) {
        Snapshot s = current;
        Map<OutboundSa, OutboundPath> paths = new IdentityHashMap<>(s.paths);
        paths.put(out.sa(), out);
        List<OutboundSa> newestFirst = new ArrayList<>();
        newestFirst.add(out.sa());
        for (OutboundSa sa : s.newestFirst) if (sa != out.sa()) newestFirst.add(sa);
        current = new Snapshot(Spd.of(newestFirst), s.sad.with(in), List.copyOf(newestFirst), paths);
    }

    synchronized void remove(OutboundSa out, int inboundSpi) {
        Snapshot s = current;
        Map<OutboundSa, OutboundPath> paths = new IdentityHashMap<>(s.paths);
        paths.remove(out);
        List<OutboundSa> newestFirst = new ArrayList<>(s.newestFirst);
        newestFirst.remove(out);
        current = new Snapshot(Spd.of(newestFirst), s.sad.without(inboundSpi), List.copyOf(newestFirst), paths);
    }
}
