package io.causeway.esp.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SPD entries of one address family grouped by the prefix lengths of their remote and local selectors (tuple
 * space search): a lookup probes one hash table per distinct pair of prefix lengths, in most-specific-first order,
 * instead of scanning every entry, so its cost follows the number of distinct prefix lengths, not the number of SAs.
 * Addresses are the two longs {@link TrafficSelector} keeps (IPv4 in the low 32 bits, high word zero), which is why
 * one class serves both families. Within a bucket the entries keep the SPD's order, so the first match is the one the
 * linear scan would have found. Immutable and allocation-free on lookup.
 */
final class SelectorIndex {
    /** One pair of prefix lengths: its masks, and its entries bucketed by masked remote and local address. */
    private record Group(long remoteHiMask, long remoteLoMask, long localHiMask, long localLoMask,
            AddressPairTable buckets, SpdEntry[][] entries) {
    }

    private final Group[] groups;

    /**
     * entries: of one family, already in most-specific-first order (longest remote prefix, then longest local
     * prefix, then protocol and ports).
     */
    SelectorIndex(List<SpdEntry> entries) {
        Map<Integer, List<SpdEntry>> byPrefixes = new LinkedHashMap<>();
        for (SpdEntry e : entries) {
            byPrefixes.computeIfAbsent(prefixes(e), k -> new ArrayList<>()).add(e);
        }
        // The SPD's order sorts on the prefix lengths first, so every entry of a more specific pair comes before any
        // entry of a less specific one: visiting the groups in this order and each bucket in list order is the scan.
        List<Integer> order = new ArrayList<>(byPrefixes.keySet());
        order.sort((a, b) -> Integer.compare(b, a));
        groups = new Group[order.size()];
        for (int g = 0; g < groups.length; g++) {
            groups[g] = group(byPrefixes.get(order.get(g)));
        }
    }

    /** The first entry, in the SPD's order, that matches the packet; null when none does. */
    SpdEntry first(long srcHi, long srcLo, long dstHi, long dstLo, int proto, int srcPort, int dstPort) {
        for (Group g : groups) {
            int b = g.buckets.get(dstHi & g.remoteHiMask, dstLo & g.remoteLoMask, srcHi & g.localHiMask,
                    srcLo & g.localLoMask);
            if (b != AddressPairTable.ABSENT) {
                for (SpdEntry e : g.entries[b]) {
                    if (e.matchesProtocolAndPorts(proto, srcPort, dstPort)) {
                        return e;
                    }
                }
            }
        }
        return null;
    }

    /** Larger for more specific pairs: the remote prefix length decides, then the local one (both at most 128). */
    private static int prefixes(SpdEntry e) {
        return e.remote().prefixLen() << 8 | e.local().prefixLen();
    }

    /** members: entries with the same pair of prefix lengths, in the SPD's order. */
    private static Group group(List<SpdEntry> members) {
        AddressPairTable table = new AddressPairTable(members.size());
        List<List<SpdEntry>> buckets = new ArrayList<>();
        for (SpdEntry e : members) {
            TrafficSelector r = e.remote();
            TrafficSelector l = e.local();
            int b = table.get(r.addrHi(), r.addrLo(), l.addrHi(), l.addrLo());
            if (b == AddressPairTable.ABSENT) {
                b = buckets.size();
                table.put(r.addrHi(), r.addrLo(), l.addrHi(), l.addrLo(), b);
                buckets.add(new ArrayList<>());
            }
            buckets.get(b).add(e);
        }
        SpdEntry[][] entries = new SpdEntry[buckets.size()][];
        for (int b = 0; b < entries.length; b++) {
            entries[b] = buckets.get(b).toArray(new SpdEntry[0]);
        }
        TrafficSelector r = members.get(0).remote();
        TrafficSelector l = members.get(0).local();
        return new Group(TrafficSelector.maskHi(r.ipv6(), r.prefixLen()),
                TrafficSelector.maskLo(r.ipv6(), r.prefixLen()), TrafficSelector.maskHi(l.ipv6(), l.prefixLen()),
                TrafficSelector.maskLo(l.ipv6(), l.prefixLen()), table, entries);
    }
}
