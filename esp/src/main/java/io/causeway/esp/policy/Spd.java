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

    private final Entry[] v4;
    private final Entry[] v6;
    /** The IPv4 entries by prefix lengths, so an IPv4 lookup costs the same with 1 or 10,000 SAs. */
    private final V4SelectorIndex<Entry> v4Index;

    private record Entry(TrafficSelector local, TrafficSelector remote, OutboundSa sa) {
    }

    private static final Comparator<Entry> MOST_SPECIFIC_FIRST = Comparator
            .comparingInt((Entry e) -> e.remote.hostBits())
            .thenComparingInt(e -> e.local.hostBits())
            .thenComparingInt(e -> e.remote.protocol() == TrafficSelector.ANY_PROTOCOL ? 1 : 0)
            .thenComparingInt(e -> e.remote.portSpan())
            .thenComparingInt(e -> e.local.portSpan());

    private static final V4SelectorIndex.Matcher<Entry> MATCHES_V4 = (e, src, dst, proto, srcPort, dstPort) ->
            e.local.matchesV4(src, proto, srcPort) && e.remote.matchesV4(dst, proto, dstPort);

    private Spd(Collection<OutboundSa> sas) {
        List<Entry> four = new ArrayList<>();
        List<Entry> six = new ArrayList<>();
        for (OutboundSa sa : sas) {
            for (TrafficSelector local : orAny(sa.localSelectors())) {
                for (TrafficSelector remote : orAny(sa.remoteSelectors())) {
                    if (local.ipv6() == remote.ipv6()) {
                        (local.ipv6() ? six : four).add(new Entry(local, remote, sa));
                    }
                }
            }
        }
        four.sort(MOST_SPECIFIC_FIRST);
        six.sort(MOST_SPECIFIC_FIRST);
        v4 = four.toArray(new Entry[0]);
        v6 = six.toArray(new Entry[0]);
        v4Index = new V4SelectorIndex<>(four, new V4SelectorIndex.Selectors<>() {
            @Override
            public TrafficSelector remote(Entry e) {
                return e.remote;
            }

            @Override
            public TrafficSelector local(Entry e) {
                return e.local;
            }
        });
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
            int src = IpHeaders.v4Src(pkt, off);
            int dst = IpHeaders.v4Dst(pkt, off);
            Entry e = v4Index.first(src, dst, proto, srcPort, dstPort, MATCHES_V4);
            return e == null ? null : e.sa;
        }
        long srcHi = IpHeaders.v6SrcHi(pkt, off);
        long srcLo = IpHeaders.v6SrcLo(pkt, off);
        long dstHi = IpHeaders.v6DstHi(pkt, off);
        long dstLo = IpHeaders.v6DstLo(pkt, off);
        for (Entry e : v6) {
            if (e.local.matchesV6(srcHi, srcLo, proto, srcPort) && e.remote.matchesV6(dstHi, dstLo, proto, dstPort)) {
                return e.sa;
            }
        }
        return null;
    }

    /** The linear scan the index replaces, in the same order; the tests compare the two. */
    OutboundSa scanV4(int src, int dst, int proto, int srcPort, int dstPort) {
        for (Entry e : v4) {
            if (MATCHES_V4.matches(e, src, dst, proto, srcPort, dstPort)) {
                return e.sa;
            }
        }
        return null;
    }

    OutboundSa indexV4(int src, int dst, int proto, int srcPort, int dstPort) {
        Entry e = v4Index.first(src, dst, proto, srcPort, dstPort, MATCHES_V4);
        return e == null ? null : e.sa;
    }

    private static List<TrafficSelector> orAny(List<TrafficSelector> list) {
        return list.isEmpty() ? List.of(TrafficSelector.anyV4(), TrafficSelector.anyV6()) : list;
    }
}
