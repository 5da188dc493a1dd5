package io.causeway.daemon.dataplane;

import io.causeway.esp.packet.IpHeaders;
import io.causeway.esp.policy.TrafficSelector;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The trap policies the TUN workers consult when a packet found no SA: an immutable snapshot the
 * control side replaces whole, like {@link SaTable}. The most specific selector pair wins.
 */
final class TrapTable {
    private record Entry(TrafficSelector local, TrafficSelector remote, Trap trap) {}

    private record Snapshot(List<Trap> traps, Entry[] v4, Entry[] v6) {}

    private static final Comparator<Entry> MOST_SPECIFIC_FIRST = Comparator
            .comparingInt((Entry e) -> -e.remote.prefixLen())
            .thenComparingInt(e -> -e.local.prefixLen());

    private volatile Snapshot current = new Snapshot(List.of(), new Entry[0], new Entry[0]);

    /** The trap the inner packet {@code pkt[off, off+len)} falls into, or null. */
    Trap match(byte[] pkt, int off, int len) {
        Snapshot s = current;
        if (s.traps.isEmpty() || !IpHeaders.wellFormed(pkt, off, len)) return null;
        long upper = IpHeaders.upperLayer(pkt, off, len);
        int proto = IpHeaders.protocolOf(upper);
        int srcPort = IpHeaders.srcPort(pkt, off, len, upper);
        int dstPort = IpHeaders.dstPort(pkt, off, len, upper);
        if (IpHeaders.version(pkt, off) == 4) {
            int src = IpHeaders.v4Src(pkt, off);
            int dst = IpHeaders.v4Dst(pkt, off);
            for (Entry e : s.v4) {
                if (e.local.matchesV4(src, proto, srcPort) && e.remote.matchesV4(dst, proto, dstPort)) return e.trap;
            }
            return null;
        }
        long srcHi = IpHeaders.v6SrcHi(pkt, off);
        long srcLo = IpHeaders.v6SrcLo(pkt, off);
        long dstHi = IpHeaders.v6DstHi(pkt, off);
        long dstLo = IpHeaders.v6DstLo(pkt, off);
        for (Entry e : s.v6) {
            if (e.local.matchesV6(srcHi, srcLo, proto, srcPort) && e.remote.matchesV6(dstHi, dstLo, proto, dstPort)) {
                return e.trap;
            }
        }
        return null;
    }

    synchronized void add(Trap trap) {
        List<Trap> traps = new ArrayList<>(current.traps);
        traps.add(trap);
        current = snapshot(traps);
    }

    synchronized void remove(Trap trap) {
        List<Trap> traps = new ArrayList<>(current.traps);
        traps.remove(trap);
        current = snapshot(traps);
    }

    private static Snapshot snapshot(List<Trap> traps) {
        List<Entry> four = new ArrayList<>();
        List<Entry> six = new ArrayList<>();
        for (Trap t : traps) {
            for (TrafficSelector local : t.local()) {
                for (TrafficSelector remote : t.remote()) {
                    if (local.ipv6() == remote.ipv6()) (local.ipv6() ? six : four).add(new Entry(local, remote, t));
                }
            }
        }
        four.sort(MOST_SPECIFIC_FIRST);
        six.sort(MOST_SPECIFIC_FIRST);
        return new Snapshot(List.copyOf(traps), four.toArray(new Entry[0]), six.toArray(new Entry[0]));
    }
}
