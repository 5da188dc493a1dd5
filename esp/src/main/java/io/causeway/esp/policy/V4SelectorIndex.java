package io.causeway.esp.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The IPv4 SPD entries grouped by the prefix lengths of their remote and local selectors (tuple space search): a
 * lookup probes one hash table per distinct pair of prefix lengths, in most-specific-first order, instead of scanning
 * every entry, so its cost follows the number of distinct prefix lengths, not the number of SAs. Within a bucket
 * the entries keep the SPD's order, so the first match is the one the linear scan would have found. Immutable and
 * allocation-free on lookup.
 */
final class V4SelectorIndex<E> {
    /** One pair of prefix lengths: its masks and the buckets of entries by masked destination and source. */
    private static final class Group {
        final long remoteMask;
        final long localMask;
        final LongIndex buckets;
        final Object[][] entries;

        Group(long remoteMask, long localMask, LongIndex buckets, Object[][] entries) {
            this.remoteMask = remoteMask;
            this.localMask = localMask;
            this.buckets = buckets;
            this.entries = entries;
        }
    }

    /** How an entry is seen by the index: its two selectors, and the test of protocol and ports at lookup. */
    interface Selectors<E> {
        TrafficSelector remote(E entry);

        TrafficSelector local(E entry);
    }

    private final Group[] groups;

    /** entries: IPv4 entries already in most-specific-first order. */
    V4SelectorIndex(List<E> entries, Selectors<E> selectors) {
        Map<Long, Map<Long, List<E>>> byPrefixes = new LinkedHashMap<>();
        for (E e : entries) {
            TrafficSelector r = selectors.remote(e);
            TrafficSelector l = selectors.local(e);
            long prefixes = ((long) r.prefixLen() << 8) | l.prefixLen();
            byPrefixes.computeIfAbsent(prefixes, k -> new LinkedHashMap<>())
                    .computeIfAbsent(key(r.addrLo(), l.addrLo()), k -> new ArrayList<>()).add(e);
        }
        // most specific first: longer remote prefixes, then longer local ones, as the SPD's order has them
        List<Long> order = new ArrayList<>(byPrefixes.keySet());
        order.sort((a, b) -> Long.compare(b, a));
        groups = new Group[order.size()];
        for (int g = 0; g < groups.length; g++) {
            long prefixes = order.get(g);
            Map<Long, List<E>> buckets = byPrefixes.get(prefixes);
            LongIndex index = new LongIndex(buckets.size());
            Object[][] lists = new Object[buckets.size()][];
            int i = 0;
            for (Map.Entry<Long, List<E>> b : buckets.entrySet()) {
                index.put(b.getKey(), i);
                lists[i++] = b.getValue().toArray();
            }
            groups[g] = new Group(mask((int) (prefixes >>> 8)), mask((int) (prefixes & 0xff)), index, lists);
        }
    }

    /**
     * The full test of an entry against a packet (addresses, protocol and ports), a constant rather than a lambda that
     * captures the packet, so a lookup allocates nothing.
     */
    interface Matcher<E> {
        boolean matches(E entry, int src, int dst, int proto, int srcPort, int dstPort);
    }

    /** The first entry, in the SPD's order, that matches the packet; null when none does. */
    @SuppressWarnings("unchecked")
    E first(int src, int dst, int proto, int srcPort, int dstPort, Matcher<E> matcher) {
        long d = dst & 0xFFFFFFFFL;
        long s = src & 0xFFFFFFFFL;
        for (Group g : groups) {
            int i = g.buckets.get(key(d & g.remoteMask, s & g.localMask));
            if (i >= 0) {
                for (Object e : g.entries[i]) {
                    if (matcher.matches((E) e, src, dst, proto, srcPort, dstPort)) {
                        return (E) e;
                    }
                }
            }
        }
        return null;
    }

    private static long key(long remote, long local) {
        return remote << 32 | local;
    }

    private static long mask(int prefix) {
        return prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
    }

    /** An open-addressing map from long keys to small ints, -1 when absent. */
    private static final class LongIndex {
        private final long[] keys;
        private final int[] values;
        private final int mask;

        LongIndex(int size) {
            int capacity = Integer.highestOneBit(Math.max(2, size * 2 - 1)) << 1;
            keys = new long[capacity];
            values = new int[capacity];
            java.util.Arrays.fill(values, -1);
            mask = capacity - 1;
        }

        void put(long key, int value) {
            int i = slot(key);
            while (values[i] >= 0) {
                i = (i + 1) & mask;
            }
            keys[i] = key;
            values[i] = value;
        }

        int get(long key) {
            for (int i = slot(key); values[i] >= 0; i = (i + 1) & mask) {
                if (keys[i] == key) {
                    return values[i];
                }
            }
            return -1;
        }

        private int slot(long key) {
            long h = key * 0x9E3779B97F4A7C15L;
            return (int) (h ^ (h >>> 32)) & mask;
        }
    }
}
