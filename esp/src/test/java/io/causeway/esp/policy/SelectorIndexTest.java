package io.causeway.esp.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.esp.EspSuite;
import io.causeway.esp.OutboundSa;
import io.causeway.esp.SaConfig;
import io.causeway.esp.SaKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The SPD's index finds exactly what the most-specific-first scan finds, in either family, for any mix of selectors. */
class SelectorIndexTest {
    private static final EspSuite SUITE = EspSuite.parse("aes128gcm16");
    private static final SaKeys KEYS = new SaKeys(new byte[SUITE.encKeyBytes()], new byte[SUITE.integKeyBytes()]);

    private static String address(Random r) {
        // few distinct networks, so selectors overlap and the order between them matters
        return "10." + r.nextInt(3) + "." + r.nextInt(4) + "." + r.nextInt(8);
    }

    private static TrafficSelector selector(Random r) {
        int[] prefixes = {0, 8, 16, 22, 24, 30, 32};
        String suffix = switch (r.nextInt(4)) {
            case 0 -> "[tcp]";
            case 1 -> "[udp/" + (50 + r.nextInt(6)) + "]";
            case 2 -> "[6/" + (1000 + r.nextInt(3)) + "-" + (1003 + r.nextInt(5)) + "]";
            default -> "";
        };
        return TrafficSelector.parse(address(r) + "/" + prefixes[r.nextInt(prefixes.length)] + suffix);
    }

    private static int ip(Random r) {
        return 10 << 24 | r.nextInt(3) << 16 | r.nextInt(4) << 8 | r.nextInt(8);
    }

    @Test
    void randomIpv4SelectorsAndPacketsGiveTheSameSaAsTheScan() {
        Random r = new Random(12);
        for (int round = 0; round < 50; round++) {
            List<OutboundSa> sas = new ArrayList<>();
            int count = 1 + r.nextInt(40);
            for (int i = 0; i < count; i++) {
                List<TrafficSelector> local = List.of(selector(r));
                List<TrafficSelector> remote = r.nextInt(5) == 0 ? List.of(selector(r), selector(r)) : List.of(selector(r));
                sas.add(new OutboundSa(SaConfig.builder(0x100 + i, SUITE, KEYS).selectors(local, remote).build()));
            }
            Spd spd = Spd.of(sas);
            for (int p = 0; p < 2_000; p++) {
                int src = ip(r);
                int dst = ip(r);
                int proto = new int[] {1, 6, 17}[r.nextInt(3)];
                int srcPort = proto == 1 ? -1 : 50 + r.nextInt(1000) % 960;
                int dstPort = proto == 1 ? -1 : r.nextBoolean() ? 50 + r.nextInt(6) : 1000 + r.nextInt(8);
                assertThat(spd.indexV4(src, dst, proto, srcPort, dstPort)).as("round %d packet %d", round, p)
                        .isSameAs(spd.scanV4(src, dst, proto, srcPort, dstPort));
            }
        }
    }

    @Test
    void tenThousandIpv4PairsAreFoundAndOthersMissed() {
        List<OutboundSa> sas = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            TrafficSelector local = TrafficSelector.parse("10." + i / 256 + "." + i % 256 + ".0/24");
            TrafficSelector remote = TrafficSelector.parse("172." + (16 + i / 256) + "." + i % 256 + ".0/24");
            sas.add(new OutboundSa(SaConfig.builder(0x1000 + i, SUITE, KEYS).selectors(List.of(local), List.of(remote))
                    .build()));
        }
        Spd spd = Spd.of(sas);
        int i = 9_999;
        int src = 10 << 24 | (i / 256) << 16 | (i % 256) << 8 | 7;
        int dst = 172 << 24 | (16 + i / 256) << 16 | (i % 256) << 8 | 9;
        assertThat(spd.indexV4(src, dst, 1, -1, -1)).isSameAs(sas.get(i));
        assertThat(spd.indexV4(src, dst + (1 << 8), 1, -1, -1)).as("the next remote /24 belongs to no pair with this local")
                .isNull();
    }

    /**
     * The address bits (counted from the most significant) that IPv6 selectors and packets vary; the rest stay those
     * of fd00::. Few bits, so that selectors nest and collide; the positions sit at and around the prefix lengths
     * used below, both sides of the boundary between the two longs.
     */
    private static final int[] V6_BITS = {0, 1, 31, 62, 63, 64, 65, 100, 126, 127};
    private static final int[] V6_PREFIXES = {0, 1, 2, 32, 63, 64, 65, 66, 101, 127, 128};
    private static final long FD00 = 0xFD00L << 48;

    /** A 128-bit address as {hi, lo}. */
    private static long[] v6Address(Random r) {
        long[] a = {FD00, 0};
        for (int bit : V6_BITS) {
            if (r.nextBoolean()) {
                flip(a, bit);
            }
        }
        return a;
    }

    private static void flip(long[] a, int bit) {
        a[bit / 64] ^= 1L << (63 - bit % 64);
    }

    /** Near the given selector's address: each varied bit flipped with probability 1/16, so most stay inside it. */
    private static long[] v6Near(TrafficSelector ts, Random r) {
        long[] a = {ts.addrHi(), ts.addrLo()};
        for (int bit : V6_BITS) {
            if (r.nextInt(16) == 0) {
                flip(a, bit);
            }
        }
        return a;
    }

    /** kind: which protocol and ports, 0 to 4, so that the two sides of an SA can be given the same. */
    private static TrafficSelector v6Selector(Random r, int kind) {
        long[] a = v6Address(r);
        int prefix = V6_PREFIXES[r.nextInt(V6_PREFIXES.length)];
        return switch (kind) {
            case 0 -> new TrafficSelector(true, a[0], a[1], prefix, 6, 0, 65535);
            case 1 -> {
                int port = 50 + r.nextInt(6);
                yield new TrafficSelector(true, a[0], a[1], prefix, 17, port, port);
            }
            case 2 -> new TrafficSelector(true, a[0], a[1], prefix, 6, 1000 + r.nextInt(3), 1003 + r.nextInt(5));
            case 3 -> new TrafficSelector(true, a[0], a[1], prefix, 58, 0, 65535);
            default -> new TrafficSelector(true, a[0], a[1], prefix, TrafficSelector.ANY_PROTOCOL, 0, 65535);
        };
    }

    /** Mostly the kind given, sometimes another, so some SAs' sides disagree on the protocol or the ports. */
    private static int kindLike(int kind, Random r) {
        return r.nextInt(5) == 0 ? r.nextInt(5) : kind;
    }

    @Test
    void randomIpv6SelectorsAndPacketsGiveTheSameSaAsTheScan() {
        Random r = new Random(13);
        int found = 0;
        int notFirstInserted = 0;
        int hostPairs = 0;
        int wildcards = 0;
        for (int round = 0; round < 50; round++) {
            List<OutboundSa> sas = new ArrayList<>();
            int count = 1 + r.nextInt(40);
            for (int i = 0; i < count; i++) {
                int kind = r.nextInt(5);
                List<TrafficSelector> local = List.of(v6Selector(r, kind));
                List<TrafficSelector> remote = r.nextInt(5) == 0
                        ? List.of(v6Selector(r, kindLike(kind, r)), v6Selector(r, kindLike(kind, r)))
                        : List.of(v6Selector(r, kindLike(kind, r)));
                sas.add(new OutboundSa(SaConfig.builder(0x100 + i, SUITE, KEYS).selectors(local, remote).build()));
            }
            Spd spd = Spd.of(sas);
            for (int p = 0; p < 2_000; p++) {
                // mostly near one SA's own pair, so that host-to-host pairs get hit too; else anywhere
                OutboundSa near = sas.get(r.nextInt(sas.size()));
                TrafficSelector nearRemote = near.remoteSelectors().get(r.nextInt(near.remoteSelectors().size()));
                long[] src = r.nextInt(4) == 0 ? v6Address(r) : v6Near(near.localSelectors().get(0), r);
                long[] dst = r.nextInt(4) == 0 ? v6Address(r) : v6Near(nearRemote, r);
                int proto = nearRemote.protocol() != TrafficSelector.ANY_PROTOCOL && r.nextInt(4) != 0
                        ? nearRemote.protocol() : new int[] {58, 6, 17}[r.nextInt(3)];
                int srcPort = proto == 58 ? -1 : 50 + r.nextInt(1000) % 960;
                int dstPort = proto == 58 ? -1 : r.nextBoolean() ? 50 + r.nextInt(6) : 1000 + r.nextInt(8);
                OutboundSa scanned = spd.scanV6(src[0], src[1], dst[0], dst[1], proto, srcPort, dstPort);
                assertThat(spd.indexV6(src[0], src[1], dst[0], dst[1], proto, srcPort, dstPort))
                        .as("round %d packet %d", round, p).isSameAs(scanned);
                if (scanned != null) {
                    found++;
                    OutboundSa firstInserted = firstInInsertionOrder(sas, src, dst, proto, srcPort, dstPort);
                    if (firstInserted != scanned) {
                        notFirstInserted++;
                    }
                    if (scanned.localSelectors().get(0).prefixLen() == 128
                            && scanned.remoteSelectors().stream().anyMatch(ts -> ts.prefixLen() == 128)) {
                        hostPairs++;
                    }
                    if (scanned.localSelectors().get(0).prefixLen() == 0
                            || scanned.remoteSelectors().stream().anyMatch(ts -> ts.prefixLen() == 0)) {
                        wildcards++;
                    }
                }
            }
        }
        // the packets must hit often, and often enough where order decides, on host-to-host pairs and on /0, or
        // the comparison above proves little
        assertThat(found).as("lookups that found an SA").isGreaterThan(30_000);
        assertThat(notFirstInserted).as("hits where a later, more specific SA won").isGreaterThan(3_000);
        assertThat(hostPairs).as("hits on /128 to /128 pairs").isGreaterThan(50);
        assertThat(wildcards).as("hits on SAs with a /0 side").isGreaterThan(3_000);
    }

    /** The SA a policy list without ordering would pick: the first one given whose selectors match. */
    private static OutboundSa firstInInsertionOrder(List<OutboundSa> sas, long[] src, long[] dst, int proto,
            int srcPort, int dstPort) {
        for (OutboundSa sa : sas) {
            for (TrafficSelector l : sa.localSelectors()) {
                for (TrafficSelector rem : sa.remoteSelectors()) {
                    if (l.matchesV6(src[0], src[1], proto, srcPort) && rem.matchesV6(dst[0], dst[1], proto, dstPort)) {
                        return sa;
                    }
                }
            }
        }
        return null;
    }

    @Test
    void tenThousandIpv6PairsAreFoundAndOthersMissed() {
        List<OutboundSa> sas = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            String group = Integer.toHexString(i / 256) + ":" + Integer.toHexString(i % 256);
            TrafficSelector local = TrafficSelector.parse("fd00:0:" + group + "::/64");
            TrafficSelector remote = TrafficSelector.parse("fd01:0:" + group + ":8000::/65");
            sas.add(new OutboundSa(SaConfig.builder(0x1000 + i, SUITE, KEYS).selectors(List.of(local), List.of(remote))
                    .build()));
        }
        Spd spd = Spd.of(sas);
        int i = 9_999;
        long srcHi = 0xFD00_0000_0000_0000L | (long) (i / 256) << 16 | i % 256;
        long dstHi = 0xFD01_0000_0000_0000L | (long) (i / 256) << 16 | i % 256;
        long inside = 0x8000_0000_0000_0009L;
        assertThat(spd.indexV6(srcHi, 7, dstHi, inside, 58, -1, -1)).isSameAs(sas.get(i));
        assertThat(spd.indexV6(srcHi, 7, dstHi, inside & Long.MAX_VALUE, 58, -1, -1))
                .as("the other half of the remote /64 is outside the /65").isNull();
        assertThat(spd.indexV6(srcHi, 7, dstHi + 1, inside, 58, -1, -1))
                .as("the next remote /65 belongs to no pair with this local").isNull();
    }
}
