package io.causeway.esp.offload;

import static io.causeway.esp.offload.Reference.ACK;
import static io.causeway.esp.offload.Reference.PSH;
import static io.causeway.esp.offload.Reference.TCP;
import static io.causeway.esp.offload.Reference.TIMESTAMPS;
import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.esp.offload.Reference.Ip;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GroCoalescerTest {
    private static final int MSS = 1448;
    private static final int ACK_NO = 777_777;
    private static final int WINDOW = 1024;
    private static final int HEADROOM = VirtioNetHeader.LENGTH;

    private final Recorder recorder = new Recorder();
    private final GroCoalescer gro = new GroCoalescer(recorder);

    @Test
    void fortyFullSegmentsAndAShortOneBecomeOneWriteThatSplitsBackIntoThem() {
        Flow flow = new Flow(Ip.v4(0x4000), 40_000, 443, 1_000);
        List<byte[]> sent = flow.segments(40, MSS, 1000, true);

        addAll(sent);
        gro.flush();

        assertThat(recorder.writes).hasSize(1);
        byte[] w = recorder.writes.get(0);
        assertThat(w[0]).isEqualTo((byte) VirtioNetHeader.F_NEEDS_CSUM);
        assertThat(w[1]).isEqualTo((byte) VirtioNetHeader.GSO_TCPV4);
        assertThat(Reference.le16(w, 2)).as("hdr_len").isEqualTo(20 + 32);
        assertThat(Reference.le16(w, 4)).as("gso_size").isEqualTo(MSS);
        assertThat(Reference.le16(w, 6)).as("csum_start").isEqualTo(20);
        assertThat(Reference.le16(w, 8)).as("csum_offset").isEqualTo(16);
        byte[] ip = Arrays.copyOfRange(w, HEADROOM, w.length);
        int total = 20 + 32 + 40 * MSS + 1000;
        assertThat(ip).hasSize(total);
        assertThat(Reference.u16(ip, 2)).as("total length").isEqualTo(total);
        assertThat(Reference.u16(ip, 4)).as("first id kept").isEqualTo(0x4000);
        assertThat(Reference.sum(ip, 0, 20, 0)).as("IPv4 header checksum verifies").isEqualTo(0xFFFF);
        assertThat(ip[20 + 13]).as("PSH from the last segment").isEqualTo((byte) (ACK | PSH));
        assertThat(Reference.u16(ip, 20 + 16)).as("uncomplemented pseudo-header sum")
                .isEqualTo(pseudoV4(ip, total - 20));
        assertThat(gro.coalesced()).isEqualTo(40);
        assertThat(gro.written()).isEqualTo(1);

        assertThat(resplit(w)).containsExactlyElementsOf(sent);
    }

    @Test
    void ipv6FlowRoundTrips() {
        Flow flow = new Flow(Ip.v6(), 50_000, 22, -5_000);
        List<byte[]> sent = flow.segments(20, 1428, 1, false);

        addAll(sent);
        gro.flush();

        assertThat(recorder.writes).hasSize(1);
        byte[] w = recorder.writes.get(0);
        assertThat(w[1]).isEqualTo((byte) VirtioNetHeader.GSO_TCPV6);
        assertThat(Reference.le16(w, 2)).isEqualTo(40 + 32);
        assertThat(Reference.le16(w, 6)).isEqualTo(40);
        assertThat(Reference.u16(w, HEADROOM + 4)).as("payload length").isEqualTo(w.length - HEADROOM - 40);
        assertThat(resplit(w)).containsExactlyElementsOf(sent);
    }

    @Test
    void interleavedFlowsCoalesceSeparately() {
        Flow a = new Flow(Ip.v4(1), 1000, 80, 0);
        Flow b = new Flow(Ip.v4(1).swapped(), 2000, 8080, 0);
        List<byte[]> as = a.segments(10, MSS, MSS, false);
        List<byte[]> bs = b.segments(10, 1200, 1200, false);
        for (int i = 0; i < 10; i++) {
            add(as.get(i));
            add(bs.get(i));
        }
        gro.flush();

        assertThat(recorder.writes).hasSize(2);
        assertThat(recorder.writes.stream().map(w -> hex(resplit(w))))
                .containsExactlyInAnyOrder(hex(as), hex(bs));
        assertThat(gro.coalesced()).isEqualTo(18);
    }

    @Test
    void retransmissionFlushesTheFlowAndStartsAgain() {
        Flow flow = new Flow(Ip.v4(10), 1, 2, 100);
        List<byte[]> s = flow.segments(10, MSS, MSS, false);
        addAll(s.subList(0, 5));
        add(s.get(2));
        addAll(s.subList(5, 10));
        gro.flush();

        assertThat(recorder.writes).hasSize(3);
        assertThat(resplit(recorder.writes.get(0))).containsExactlyElementsOf(s.subList(0, 5));
        assertThat(recorder.writes.get(1)).isEqualTo(plain(s.get(2)));
        assertThat(resplit(recorder.writes.get(2))).containsExactlyElementsOf(s.subList(5, 10));
    }

    @Test
    void pshClosesTheSuperPacketAtOnce() {
        Flow flow = new Flow(Ip.v4(10), 1, 2, 100);
        List<byte[]> first = flow.segments(5, MSS, MSS, true);
        List<byte[]> second = flow.segments(5, MSS, MSS, false);

        addAll(first);
        assertThat(recorder.writes).as("written before any flush").hasSize(1);
        addAll(second);
        gro.flush();

        assertThat(recorder.writes).hasSize(2);
        assertThat(resplit(recorder.writes.get(0))).containsExactlyElementsOf(first);
        assertThat(resplit(recorder.writes.get(1))).containsExactlyElementsOf(second);
    }

    @Test
    void pshSegmentWithNothingToJoinIsWrittenWithoutACopy() {
        Flow flow = new Flow(Ip.v4(10), 1, 2, 100);
        byte[] only = flow.segments(1, 500, 500, true).get(0);
        byte[] buf = withHeadroom(only);

        gro.add(buf, HEADROOM, only.length);

        assertThat(recorder.arrays).containsExactly(buf);
        assertThat(recorder.writes).containsExactly(plain(only));
    }

    @Test
    void shortSegmentClosesTheSuperPacket() {
        Flow flow = new Flow(Ip.v4(10), 1, 2, 100);
        List<byte[]> s = flow.segments(3, MSS, 700, false);
        List<byte[]> more = flow.segments(3, MSS, MSS, false);
        addAll(s);
        addAll(more);
        gro.flush();

        assertThat(recorder.writes).hasSize(2);
        assertThat(resplit(recorder.writes.get(0))).containsExactlyElementsOf(s);
        assertThat(resplit(recorder.writes.get(1))).containsExactlyElementsOf(more);
    }

    @Test
    void nonTcpPacketInBetweenKeepsArrivalOrderAndIsNotCopied() {
        Flow flow = new Flow(Ip.v4(10), 1, 2, 100);
        List<byte[]> s = flow.segments(10, MSS, MSS, false);
        byte[] udp = Reference.udp(Ip.v4(99), 53, 53, Reference.payload(100, 1));
        byte[] udpBuf = withHeadroom(udp);

        addAll(s.subList(0, 5));
        gro.add(udpBuf, HEADROOM, udp.length);
        addAll(s.subList(5, 10));
        gro.flush();

        assertThat(recorder.writes).hasSize(3);
        assertThat(resplit(recorder.writes.get(0))).containsExactlyElementsOf(s.subList(0, 5));
        assertThat(recorder.arrays.get(1)).isSameAs(udpBuf);
        assertThat(recorder.offsets.get(1)).isZero();
        assertThat(recorder.writes.get(1)).isEqualTo(plain(udp));
        assertThat(resplit(recorder.writes.get(2))).containsExactlyElementsOf(s.subList(5, 10));
    }

    @Test
    void badTcpChecksumIsNeverMerged() {
        Flow flow = new Flow(Ip.v4(10), 1, 2, 100);
        List<byte[]> s = flow.segments(10, MSS, MSS, false);
        byte[] bad = s.get(5).clone();
        bad[bad.length - 1] ^= 1;

        addAll(s.subList(0, 5));
        add(bad);
        addAll(s.subList(6, 10));
        gro.flush();

        assertThat(recorder.writes).hasSize(3);
        assertThat(resplit(recorder.writes.get(0))).containsExactlyElementsOf(s.subList(0, 5));
        assertThat(recorder.writes.get(1)).isEqualTo(plain(bad));
        assertThat(resplit(recorder.writes.get(2))).containsExactlyElementsOf(s.subList(6, 10));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("neverMerged")
    void packetsThatAreNeverMergedFlushAndPassUnchanged(String what, byte[] odd) {
        Flow flow = new Flow(Ip.v4(10), 1, 2, 100);
        List<byte[]> s = flow.segments(3, MSS, MSS, false);

        addAll(s);
        add(odd);
        add(odd);

        assertThat(recorder.writes).hasSize(3);
        assertThat(resplit(recorder.writes.get(0))).containsExactlyElementsOf(s);
        assertThat(recorder.writes.get(1)).isEqualTo(plain(odd));
        assertThat(recorder.writes.get(2)).isEqualTo(plain(odd));
        assertThat(gro.coalesced()).isEqualTo(2);
    }

    static Stream<Arguments> neverMerged() {
        Ip ip = Ip.v4(10);
        byte[] data = Reference.payload(MSS, 1);
        byte[] badIpSum = tcp(ip, 100 + 3 * MSS, ACK, data);
        badIpSum[11] ^= 1;
        byte[] fragment = tcp(ip, 100 + 3 * MSS, ACK, data);
        fragment[6] |= 0x20;
        Reference.put16(fragment, 10, 0);
        Reference.put16(fragment, 10, ~Reference.sum(fragment, 0, 20, 0));
        byte[] trailing = Arrays.copyOf(tcp(ip, 100 + 3 * MSS, ACK, data), 20 + 32 + MSS + 4);
        byte[] hopByHop = Reference.tcp(Ip.v6(), 1, 2, 100, ACK_NO, ACK, WINDOW, TIMESTAMPS, data);
        hopByHop[6] = 0;
        byte[] ae = tcp(ip, 100 + 3 * MSS, ACK, data);
        ae[20 + 12] |= 1;
        Reference.put16(ae, 20 + 16, 0);
        return Stream.of(
                Arguments.of("pure ACK", tcp(ip, 100 + 3 * MSS, ACK, new byte[0])),
                Arguments.of("SYN", tcp(ip, 100 + 3 * MSS, Reference.SYN | ACK, data)),
                Arguments.of("FIN", tcp(ip, 100 + 3 * MSS, Reference.FIN | ACK, data)),
                Arguments.of("RST", tcp(ip, 100 + 3 * MSS, Reference.RST | ACK, data)),
                Arguments.of("URG", tcp(ip, 100 + 3 * MSS, Reference.URG | ACK, data)),
                Arguments.of("ECE", tcp(ip, 100 + 3 * MSS, Reference.ECE | ACK, data)),
                Arguments.of("CWR", tcp(ip, 100 + 3 * MSS, Reference.CWR | ACK, data)),
                Arguments.of("no ACK", tcp(ip, 100 + 3 * MSS, 0, data)),
                Arguments.of("AE bit", ae),
                Arguments.of("IPv4 options", Reference.tcp(ip.withOptions(Reference.ROUTER_ALERT), 1, 2,
                        100 + 3 * MSS, ACK_NO, ACK, WINDOW, TIMESTAMPS, data)),
                Arguments.of("IPv4 fragment", fragment),
                Arguments.of("IPv4 header checksum wrong", badIpSum),
                Arguments.of("bytes after the IPv4 total length", trailing),
                Arguments.of("IPv6 hop-by-hop header", hopByHop),
                Arguments.of("UDP", Reference.udp(ip, 1, 2, data)),
                Arguments.of("ten bytes of garbage", Reference.payload(10, 3)),
                Arguments.of("IP version 5", withFirstByte(tcp(ip, 100 + 3 * MSS, ACK, data), 0x55)));
    }

    @Test
    void changedAckWindowOrTosStartsANewSuperPacket() {
        Flow flow = new Flow(Ip.v4(10), 1, 2, 100);
        List<byte[]> s = flow.segments(6, MSS, MSS, false);
        Ip ip = Ip.v4(10);
        byte[] newAck = Reference.tcp(ip.withId(16), 1, 2, 100 + 6 * MSS, ACK_NO + 1, ACK, WINDOW, TIMESTAMPS,
                Reference.payload(MSS, 9));
        byte[] newWindow = Reference.tcp(ip.withId(17), 1, 2, 100 + 7 * MSS, ACK_NO + 1, ACK, WINDOW + 1, TIMESTAMPS,
                Reference.payload(MSS, 9));
        byte[] newTos = Reference.tcp(ip.withId(18).withTos(1), 1, 2, 100 + 8 * MSS, ACK_NO + 1, ACK, WINDOW + 1,
                TIMESTAMPS, Reference.payload(MSS, 9));
        byte[] newOptions = Reference.tcp(ip.withId(19).withTos(1), 1, 2, 100 + 9 * MSS, ACK_NO + 1, ACK, WINDOW + 1,
                new byte[] {1, 1, 8, 10, 0, 1, 2, 3, 4, 5, 6, 8}, Reference.payload(MSS, 9));

        addAll(s);
        add(newAck);
        add(newWindow);
        add(newTos);
        add(newOptions);
        gro.flush();

        assertThat(recorder.writes).hasSize(5);
        assertThat(resplit(recorder.writes.get(0))).containsExactlyElementsOf(s);
        assertThat(recorder.writes.subList(1, 5)).containsExactly(plain(newAck), plain(newWindow), plain(newTos),
                plain(newOptions));
    }

    @Test
    void longerSegmentThanTheFirstStartsANewSuperPacket() {
        Flow flow = new Flow(Ip.v4(10), 1, 2, 100);
        List<byte[]> small = flow.segments(3, 1000, 1000, false);
        List<byte[]> big = flow.segments(3, MSS, MSS, false);
        addAll(small);
        addAll(big);
        gro.flush();

        assertThat(recorder.writes).hasSize(2);
        assertThat(resplit(recorder.writes.get(0))).containsExactlyElementsOf(small);
        assertThat(resplit(recorder.writes.get(1))).containsExactlyElementsOf(big);
    }

    @Test
    void ipv4WithoutDfNeedsConsecutiveIds() {
        Flow flow = new Flow(Ip.v4(10).withDf(false), 1, 2, 100);
        List<byte[]> s = flow.segments(4, MSS, MSS, false);
        flow.ip = flow.ip.withId(flow.ip.id() + 5);
        List<byte[]> afterGap = flow.segments(2, MSS, MSS, false);

        addAll(s);
        addAll(afterGap);
        gro.flush();

        assertThat(recorder.writes).hasSize(2);
        assertThat(resplit(recorder.writes.get(0))).containsExactlyElementsOf(s);
        assertThat(resplit(recorder.writes.get(1))).containsExactlyElementsOf(afterGap);
    }

    @Test
    void superPacketsStopAt64KiB() {
        Flow v4 = new Flow(Ip.v4(10), 1, 2, 100);
        Flow v6 = new Flow(Ip.v6(), 1, 2, 100);
        List<byte[]> s4 = v4.segments(50, MSS, MSS, false);
        List<byte[]> s6 = v6.segments(50, MSS, MSS, false);

        addAll(s4);
        addAll(s6);
        gro.flush();

        // (65,535 - 20 - 32) / 1,448 = 45 segments; for IPv6 the whole packet is kept within 65,535 too
        assertThat(recorder.writes).hasSize(4);
        assertThat(resplit(recorder.writes.get(0))).containsExactlyElementsOf(s4.subList(0, 45));
        assertThat(resplit(recorder.writes.get(1))).containsExactlyElementsOf(s6.subList(0, 45));
        assertThat(resplit(recorder.writes.get(2))).containsExactlyElementsOf(s4.subList(45, 50));
        assertThat(resplit(recorder.writes.get(3))).containsExactlyElementsOf(s6.subList(45, 50));
        for (byte[] w : recorder.writes) {
            assertThat(w.length - HEADROOM).isLessThanOrEqualTo(65_535);
        }
    }

    @Test
    void atMost64Segments() {
        Flow flow = new Flow(Ip.v4(10), 1, 2, 100);
        List<byte[]> s = flow.segments(70, 100, 100, false);

        addAll(s);
        gro.flush();

        assertThat(recorder.writes).hasSize(2);
        assertThat(resplit(recorder.writes.get(0))).containsExactlyElementsOf(s.subList(0, 64));
        assertThat(resplit(recorder.writes.get(1))).containsExactlyElementsOf(s.subList(64, 70));
    }

    @Test
    void aNinthFlowFlushesTheOldest() {
        List<Flow> flows = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            flows.add(new Flow(Ip.v4(i * 100), 1000 + i, 80, i * 1_000_000));
        }
        List<List<byte[]>> segs = new ArrayList<>();
        for (Flow f : flows) {
            segs.add(f.segments(2, MSS, MSS, false));
        }
        for (int i = 0; i < 8; i++) {
            add(segs.get(i).get(0));
        }
        assertThat(recorder.writes).isEmpty();

        add(segs.get(8).get(0));

        assertThat(recorder.writes).containsExactly(plain(segs.get(0).get(0)));
        for (int i = 1; i < 9; i++) {
            add(segs.get(i).get(1));
        }
        gro.flush();
        assertThat(recorder.writes).hasSize(9);
        List<List<String>> merged = new ArrayList<>();
        for (byte[] w : recorder.writes.subList(1, 9)) {
            merged.add(hex(resplit(w)));
        }
        assertThat(merged).containsExactlyInAnyOrderElementsOf(segs.subList(1, 9).stream().map(GroCoalescerTest::hex)
                .toList());
    }

    @Test
    void flushWithNothingPendingWritesNothing() {
        gro.flush();
        assertThat(recorder.writes).isEmpty();
        assertThat(gro.written()).isZero();
    }

    /** Reports the bytes add/flush allocate; asserts none, which has been stable on this JVM (HotSpot 17). */
    @Test
    void addAndFlushAllocateNothing() {
        Assumptions.assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] sink = new long[1];
        GroCoalescer counting = new GroCoalescer((b, off, len) -> sink[0] += len);
        Flow flow = new Flow(Ip.v4(1), 1, 2, 0);
        List<byte[]> batch = new ArrayList<>(flow.segments(31, MSS, 900, true));
        batch.add(Reference.udp(Ip.v4(5), 53, 53, Reference.payload(60, 1)));
        batch.add(tcp(Ip.v4(6), 5, ACK, new byte[0]));
        byte[][] bufs = batch.stream().map(GroCoalescerTest::withHeadroom).toArray(byte[][]::new);
        int[] lens = batch.stream().mapToInt(p -> p.length).toArray();

        run(counting, bufs, lens, 100_000); // warm up: JIT
        long tid = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(tid);
        long emptyBefore = mx.getThreadAllocatedBytes(tid);
        long overhead = emptyBefore - before;
        // Until C2 has compiled the loop, OSR transitions may allocate; the coalescer itself must not:
        // some measurement round (of up to ten) must see zero.
        long allocated = Long.MAX_VALUE;
        for (int round = 0; round < 10 && allocated != 0; round++) {
            long start = mx.getThreadAllocatedBytes(tid);
            run(counting, bufs, lens, 100_000);
            allocated = mx.getThreadAllocatedBytes(tid) - start - overhead;
        }

        System.out.printf("GroCoalescer: %d bytes allocated over 100,000 adds (measurement overhead %d)%n",
                allocated, overhead);
        assertThat(sink[0]).isPositive();
        assertThat(allocated).isZero();
    }

    private static void run(GroCoalescer g, byte[][] bufs, int[] lens, int adds) {
        for (int i = 0; i < adds; i++) {
            int k = i % bufs.length;
            g.add(bufs[k], HEADROOM, lens[k]);
            if (k == bufs.length - 1) {
                g.flush();
            }
        }
        g.flush();
    }

    // --- helpers ---

    /** One direction of a TCP connection; hands out consecutive segments with incrementing IPv4 ids. */
    private static final class Flow {
        Ip ip;
        final int sport;
        final int dport;
        int seq;

        Flow(Ip ip, int sport, int dport, int seq) {
            this.ip = ip;
            this.sport = sport;
            this.dport = dport;
            this.seq = seq;
        }

        /** {@code n} segments of {@code size}, then one of {@code last} (if {@code last != size}), PSH on the last if asked. */
        List<byte[]> segments(int n, int size, int last, boolean pshLast) {
            List<byte[]> out = new ArrayList<>();
            int count = last == size ? n : n + 1;
            for (int i = 0; i < count; i++) {
                int len = i < n ? size : last;
                int flags = ACK | (pshLast && i == count - 1 ? PSH : 0);
                out.add(Reference.tcp(ip, sport, dport, seq, ACK_NO, flags, WINDOW, TIMESTAMPS,
                        Reference.payload(len, seq)));
                seq += len;
                ip = ip.withId(ip.id() + 1);
            }
            return out;
        }
    }

    private static byte[] tcp(Ip ip, int seq, int flags, byte[] payload) {
        return Reference.tcp(ip, 1, 2, seq, ACK_NO, flags, WINDOW, TIMESTAMPS, payload);
    }

    private static byte[] withFirstByte(byte[] p, int b) {
        p[0] = (byte) b;
        return p;
    }

    private void add(byte[] pkt) {
        byte[] buf = withHeadroom(pkt);
        gro.add(buf, HEADROOM, pkt.length);
    }

    private void addAll(List<byte[]> pkts) {
        pkts.forEach(this::add);
    }

    /** The packet behind ten bytes of junk the coalescer may overwrite. */
    private static byte[] withHeadroom(byte[] pkt) {
        byte[] buf = new byte[HEADROOM + pkt.length];
        Arrays.fill(buf, 0, HEADROOM, (byte) 0xEE);
        System.arraycopy(pkt, 0, buf, HEADROOM, pkt.length);
        return buf;
    }

    /** What a packet written unchanged looks like: ten zero bytes (GSO_NONE, no flags), then the packet. */
    private static byte[] plain(byte[] pkt) {
        byte[] b = new byte[HEADROOM + pkt.length];
        System.arraycopy(pkt, 0, b, HEADROOM, pkt.length);
        return b;
    }

    /** Feeds a write back through the splitter, as the kernel would segment it, and returns the pieces. */
    private static List<byte[]> resplit(byte[] write) {
        GsoSplitter splitter = new GsoSplitter();
        int n = splitter.start(write, 0, write.length);
        assertThat(n).as("splitter accepts the write").isPositive();
        List<byte[]> out = new ArrayList<>();
        byte[] buf = new byte[65_535];
        for (int len; (len = splitter.next(buf, 0)) >= 0; ) {
            out.add(Arrays.copyOf(buf, len));
        }
        return out;
    }

    /** Packets as hex, so that lists of them compare by content. */
    private static List<String> hex(List<byte[]> pkts) {
        return pkts.stream().map(p -> java.util.HexFormat.of().formatHex(p)).toList();
    }

    private static int pseudoV4(byte[] ip, int l4Len) {
        byte[] ph = new byte[12];
        System.arraycopy(ip, 12, ph, 0, 8);
        ph[9] = TCP;
        Reference.put16(ph, 10, l4Len);
        return Reference.sum(ph, 0, 12, 0);
    }

    /** Keeps a copy of every write, and which array and offset it came from. */
    private static final class Recorder implements PacketWriter {
        final List<byte[]> writes = new ArrayList<>();
        final List<byte[]> arrays = new ArrayList<>();
        final List<Integer> offsets = new ArrayList<>();

        @Override
        public void write(byte[] buf, int off, int len) {
            writes.add(Arrays.copyOfRange(buf, off, off + len));
            arrays.add(buf);
            offsets.add(off);
        }
    }
}
