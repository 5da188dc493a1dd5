package io.causeway.esp.policy;

import io.causeway.esp.OutboundSa;
import io.causeway.esp.packet.IpHeaders;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Outbound Security Policy Database (RFC 4301 4.4.1), immutable. Every (local, remote) selector pair of every
 * outbound SA is an entry; entries are ordered most specific first (longest remote prefix, then longest local
 * prefix, then a fixed protocol, then the narrowest port ranges), and the first match wins.
 */
public final class Spd {
    public static final Spd EMPTY = new Spd(List.of());

    private final SpdEntry[] v4;
    private final SpdEntry[] v6;
    /** The entries by prefix lengths, one index per family, so a lookup costs the same with 1 or 10,000 SAs. */
    private final SelectorIndex v4Index;
    private final SelectorIndex v6Index;

    private static final Comparator<SpdEntry> MOST_SPECIFIC_FIRST = Comparator
            .comparingInt((SpdEntry e) -> e.remote().hostBits())
            .thenComparingInt(e -> e.local().hostBits())
            .thenComparingInt(e -> e.remote().protocol() == TrafficSelector.ANY_PROTOCOL ? 1 : 0)
            .thenComparingInt(e -> e.remote().portSpan())
            .thenComparingInt(e -> e.local().portSpan());

    private Spd(Collection<OutboundSa> sas) {
        List<SpdEntry> four = new ArrayList<>();
        List<SpdEntry> six = new ArrayList<>();
        for (OutboundSa sa : sas) {
            for (TrafficSelector local : orAny(sa.localSelectors())) {
                for (TrafficSelector remote : orAny(sa.remoteSelectors())) {
                    if (local.ipv6() == remote.ipv6()) {
                        (local.ipv6() ? six : four).add(new SpdEntry(local, remote, sa));
                    }
                }
            }
        }
        four.sort(MOST_SPECIFIC_FIRST);
        six.sort(MOST_SPECIFIC_FIRST);
        v4 = four.toArray(new SpdEntry[0]);
        v6 = six.toArray(new SpdEntry[0]);
        v4Index = new SelectorIndex(four);
        v6Index = new SelectorIndex(six);
    }

    public static Spd of(Collection<OutboundSa> sas) {
        return new Spd(List.copyOf(sas));
    }

    /** The SA protecting the inner packet {@code pkt[off, off+len)}, or null to bypass/discard it. */
    public OutboundSa lookup(byte[] pkt, int off, int len) {
        if (!IpHeaders.wellFormed(pkt, off, len)) {
            return null;
        }
        long upper = IpHeaders.upperLayer(pkt, off, len);
        int proto = IpHeaders.protocolOf(upper);
        int srcPort = IpHeaders.srcPort(pkt, off, len, upper);
        int dstPort = IpHeaders.dstPort(pkt, off, len, upper);
        if (IpHeaders.version(pkt, off) == 4) {
            return indexV4(IpHeaders.v4Src(pkt, off), IpHeaders.v4Dst(pkt, off), proto, srcPort, dstPort);
        }
        return indexV6(IpHeaders.v6SrcHi(pkt, off), IpHeaders.v6SrcLo(pkt, off), IpHeaders.v6DstHi(pkt, off),
                IpHeaders.v6DstLo(pkt, off), proto, srcPort, dstPort);
    }

    OutboundSa indexV4(int src, int dst, int proto, int srcPort, int dstPort) {
        return saOf(v4Index.first(0, src & 0xFFFFFFFFL, 0, dst & 0xFFFFFFFFL, proto, srcPort, dstPort));
    }

    OutboundSa indexV6(long srcHi, long srcLo, long dstHi, long dstLo, int proto, int srcPort, int dstPort) {
        return saOf(v6Index.first(srcHi, srcLo, dstHi, dstLo, proto, srcPort, dstPort));
    }

    /** The linear scan the index replaces, in the same order; the tests compare the two. */
    OutboundSa scanV4(int src, int dst, int proto, int srcPort, int dstPort) {
        for (SpdEntry e : v4) {
            if (e.matchesV4(src, dst, proto, srcPort, dstPort)) {
                return e.sa();
            }
        }
        return null;
    }

    /** The IPv6 scan the index replaces, as {@link #scanV4}. */
    OutboundSa scanV6(long srcHi, long srcLo, long dstHi, long dstLo, int proto, int srcPort, int dstPort) {
        for (SpdEntry e : v6) {
            if (e.matchesV6(srcHi, srcLo, dstHi, dstLo, proto, srcPort, dstPort)) {
                return e.sa();
            }
        }
        return null;
    }

    private static OutboundSa saOf(SpdEntry e) {
        return e == null ? null : e.sa();
    }

    private static List<TrafficSelector> orAny(List<TrafficSelector> list) {
        return list.isEmpty() ? List.of(TrafficSelector.anyV4(), TrafficSelector.anyV6()) : list;
    }
}
