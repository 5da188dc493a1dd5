package io.causeway.daemon.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.esp.CryptoProvider;
import io.causeway.esp.EspSuite;
import io.causeway.esp.InboundSa;
import io.causeway.esp.OutboundSa;
import io.causeway.esp.SaConfig;
import io.causeway.esp.SaKeys;
import io.causeway.esp.policy.TrafficSelector;
import io.causeway.ike.sa.IkeIntakeScreen;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 13's rule for the whole path: nothing allocated per packet in steady state, from the TUN read of a TCP
 * super-packet to its UDP GSO batches, and from a GRO batch to the coalesced TUN write. The SAs run AES-CBC with
 * HMAC-SHA-256 on SunJCE, which allocates nothing per packet (bench/README.md), so any byte counted is the data
 * path's own; ACCP's GCM allocates inside the provider and is measured by the bench module's DataPathBench.
 */
class DataPathAllocationTest {
    private static final int MSS = 1360;
    private static final int SEGMENTS = 48;
    private static final int SPI = 0x5eed;
    private static final TrafficSelector WEST = TrafficSelector.parse("10.1.0.0/16");
    private static final TrafficSelector EAST = TrafficSelector.parse("10.2.0.0/16");
    private static final InetSocketAddress PEER = new InetSocketAddress("192.0.2.2", 4500);
    private static final EspSuite SUITE = EspSuite.parse("aes128-sha256");

    private com.sun.management.ThreadMXBean mx;
    private long receives;

    @BeforeEach
    void threadAllocationCounted() {
        Assumptions.assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean);
        mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    }

    @Test
    void outboundReadSplitSealAndBatchedSendAllocateNothing() {
        DataPathCounters counters = new DataPathCounters();
        MemoryEncapSocket socket = new MemoryEncapSocket(false);
        TunReader reader = westReader(socket, true, counters);

        long[] reads = {0};
        long allocated = steadyState(() -> {
            for (int i = 0; i < 500; i++) reader.readOnce();
            reads[0] += 500;
            return 500L * SEGMENTS;
        });

        System.out.printf("outbound: %d bytes allocated over 500 super-packets%n", allocated);
        assertThat(socket.sent()).isEqualTo(reads[0] * SEGMENTS);
        assertThat(socket.gsoSends()).as("each read's datagrams in batches").isEqualTo(reads[0] * 2);
        assertThat(counters.snapshot().values()).allMatch(v -> (Long) v == 0L);
        assertThat(allocated).isZero();
    }

    @Test
    void inboundReceiveOpenCoalesceAndWriteAllocateNothing() {
        byte[][] sealed = sealedByWest(64);
        int segment = sealed[0].length / SEGMENTS;
        int batch = Math.min(64, 65_535 / segment) * segment; // what Linux's UDP GRO puts in one receive
        EastSide side = new EastSide();
        InboundPath path = new InboundPath(side.sas, new TransportSas(), new GroTunSink(side.tun, side.counters),
                side.counters);
        UdpEncapReader reader = new UdpEncapReader(side.socket, path, (datagram, from, to) -> { }, side.counters);

        long allocated = steadyState(() -> {
            // The same ciphertext again needs a fresh window: a new SA, installed before the count starts. Its first
            // packet on this thread builds the thread's cipher and MAC (InboundSa's per-thread transform), once per
            // SA and thread, so the first super-packet is not counted either.
            side.sas.remove(side.path.sa(), SPI);
            side.sas.install(side.path, new InboundSa(side.config), true);
            receive(sealed[0], batch, segment, side.socket, reader);
            return 0L;
        }, () -> {
            for (int i = 1; i < sealed.length; i++) receive(sealed[i], batch, segment, side.socket, reader);
            return (sealed.length - 1L) * SEGMENTS;
        });

        System.out.printf("inbound: %d bytes allocated over %d super-packets%n", allocated, sealed.length - 1);
        assertThat(side.tun.writes()).isPositive();
        assertThat(side.tun.writes()).as("each GRO batch one coalesced write").isEqualTo(receives);
        assertThat(side.counters.snapshot().values()).allMatch(v -> (Long) v == 0L);
        assertThat(allocated).isZero();
    }

    @Test
    void inboundThroughTwoDecryptWorkersAllocatesNothing() {
        byte[][] sealed = sealedByWest(64);
        int segment = sealed[0].length / SEGMENTS;
        int batch = Math.min(64, 65_535 / segment) * segment;
        EastSide side = new EastSide();
        InboundPipeline pipeline = InboundPipeline.start(2, side.sas, new TransportSas(), new GroTunSink(side.tun, side.counters),
                side.counters, "allocation");
        try {
            UdpEncapReader reader = new UdpEncapReader(side.socket, pipeline, (datagram, from, to) -> { }, side.counters);
            long[] threads = {Thread.currentThread().getId(), pipeline.workerIds()[0], pipeline.workerIds()[1]};
            long allocated = steadyState(threads, () -> {
                // A fresh SA for the same ciphertext; each worker builds its cipher for it on its first packet (once
                // per SA and thread), so the first super-packet goes one datagram per slot to reach both, uncounted.
                side.sas.remove(side.path.sa(), SPI);
                side.sas.install(side.path, new InboundSa(side.config), true);
                receive(sealed[0], segment, segment, side.socket, reader);
                awaitDrained(pipeline);
                return 0L;
            }, () -> {
                for (int i = 1; i < sealed.length; i++) receive(sealed[i], batch, segment, side.socket, reader);
                awaitDrained(pipeline);
                return (sealed.length - 1L) * SEGMENTS;
            });

            System.out.printf("inbound, 2 workers: %d bytes allocated over %d super-packets%n", allocated,
                    sealed.length - 1);
            assertThat(side.tun.writes()).as("each slot one flush, each GRO batch one slot").isEqualTo(receives);
            assertThat(side.counters.snapshot().values()).allMatch(v -> (Long) v == 0L);
            assertThat(allocated).isZero();
        } finally {
            pipeline.close();
        }
    }

    /**
     * Issue 14's rule for what the 4500 reader drops: datagrams that are no IKE message and new-SA requests over
     * their source's rate cost a header peek on the reader's thread, and not one byte (before the screen, each was
     * a copy, its sender's address and a task for the control thread).
     */
    @Test
    void droppedIkeDatagramsAllocateNothing() {
        EastSide side = new EastSide();
        InboundPath path = new InboundPath(side.sas, new TransportSas(), new GroTunSink(side.tun, side.counters),
                side.counters);
        IkeIntakeScreen screen = new IkeIntakeScreen(7, 1); // one new IKE_SA_INIT a second from a source, bursts of 2
        long[] passed = new long[1];
        IkeDatagramSink sink = new IkeDatagramSink() {
            @Override
            public void receive(byte[] datagram, InetSocketAddress from, InetSocketAddress to) {
                passed[0]++;
            }

            @Override
            public IkeIntakeScreen.Verdict screen(byte[] buf, int off, int len, int sourceHash) {
                return screen.screen(buf, off, len, sourceHash, System.nanoTime() / 1_000_000);
            }
        };
        UdpEncapReader reader = new UdpEncapReader(side.socket, path, sink, side.counters);
        byte[] garbage = nonEspMarked(new byte[60]); // version 0, length 0: no IKE message
        byte[] init = nonEspMarked(ikeSaInitHeader(300));

        long allocated = steadyState(() -> {
            for (int i = 0; i < 500; i++) {
                side.socket.arrive(garbage, 0, garbage.length, 0);
                reader.receiveOnce();
                side.socket.arrive(init, 0, init.length, 0);
                reader.receiveOnce();
            }
            return 1000L;
        });

        System.out.printf("dropped IKE: %d bytes allocated over 1000 datagrams; %d passed the screen%n", allocated,
                passed[0]);
        assertThat(allocated).isZero();
        assertThat(screen.malformed()).as("garbage").isGreaterThanOrEqualTo(100_000);
        assertThat(screen.rateLimited()).as("IKE_SA_INIT over the rate").isGreaterThanOrEqualTo(100_000);
        assertThat(passed[0]).as("only the burst and the refill got through").isLessThan(100);
        assertThat((Long) side.counters.snapshot().get("malformed")).isEqualTo(screen.malformed());
    }

    private static byte[] nonEspMarked(byte[] message) {
        byte[] datagram = new byte[4 + message.length];
        System.arraycopy(message, 0, datagram, 4, message.length);
        return datagram;
    }

    /** An IKE_SA_INIT request's header (RFC 7296 3.1) announcing {@code length} octets, padded to that length. */
    private static byte[] ikeSaInitHeader(int length) {
        byte[] m = new byte[length];
        for (int i = 0; i < 8; i++) m[i] = (byte) (0x11 * (i + 1)); // SPIi; SPIr stays zero
        m[16] = 33; // SA
        m[17] = 0x20; // IKEv2
        m[18] = 34; // IKE_SA_INIT
        m[19] = 0x08; // initiator
        m[24] = (byte) (length >>> 24);
        m[25] = (byte) (length >>> 16);
        m[26] = (byte) (length >>> 8);
        m[27] = (byte) length;
        return m;
    }

    /** East's receiving side in memory: its socket, TUN, SA table and the SA the sealed datagrams belong to. */
    private static final class EastSide {
        final DataPathCounters counters = new DataPathCounters();
        final MemoryEncapSocket socket = new MemoryEncapSocket(false);
        final MemoryTun tun = new MemoryTun(new byte[0]);
        final SaTable sas = new SaTable();
        final SaConfig config = config(EAST, WEST);
        final OutboundPath path = new OutboundPath(new OutboundSa(config), new UdpEgress(socket, PEER), 1400);
    }

    /** Spins (a bounded while) until the workers delivered every slot the reader filled. */
    private static void awaitDrained(InboundPipeline pipeline) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (pipeline.deliveredSlots() != pipeline.filledSlots()) {
            if (System.nanoTime() > deadline) throw new AssertionError("the pipeline did not drain");
            Thread.onSpinWait();
        }
    }

    /** One super-packet's datagrams, as many GRO batches as it takes, each one receive. */
    private void receive(byte[] datagrams, int batch, int segment, MemoryEncapSocket socket, UdpEncapReader reader) {
        for (int off = 0; off < datagrams.length; off += batch) {
            socket.arrive(datagrams, off, Math.min(batch, datagrams.length - off), segment);
            reader.receiveOnce();
            receives++;
        }
    }

    private long steadyState(LongSupplier round) {
        return steadyState(() -> 0L, round);
    }

    /**
     * Runs {@code round} (after {@code prepare}, uncounted) until the JIT has compiled it, then counts what it
     * allocates. Until C2 has compiled the loop, OSR transitions may allocate; the path itself must not: some
     * measurement round of up to fifty must see zero. On a loaded machine C2 may finish late (ten rounds were too few
     * once beside a fuzzer); an allocation per packet would show in every round.
     */
    private long steadyState(LongSupplier prepare, LongSupplier round) {
        return steadyState(new long[] {Thread.currentThread().getId()}, prepare, round);
    }

    /** As above, counting what the given threads allocate between them. */
    private long steadyState(long[] threads, LongSupplier prepare, LongSupplier round) {
        long packets = 0;
        while (packets < 200_000) {
            prepare.getAsLong();
            packets += round.getAsLong();
        }
        long before = allocatedBy(threads);
        long overhead = allocatedBy(threads) - before;
        long allocated = Long.MAX_VALUE;
        for (int attempt = 0; attempt < 50 && allocated != 0; attempt++) {
            prepare.getAsLong();
            long start = allocatedBy(threads);
            round.getAsLong();
            allocated = allocatedBy(threads) - start - overhead;
        }
        return allocated;
    }

    private long allocatedBy(long[] threads) {
        long sum = 0;
        for (long tid : threads) sum += mx.getThreadAllocatedBytes(tid);
        return sum;
    }

    /** {@code count} super-packets as west's outbound path sealed them, each its 48 datagrams back to back. */
    private static byte[][] sealedByWest(int count) {
        DataPathCounters counters = new DataPathCounters();
        MemoryEncapSocket wire = new MemoryEncapSocket(true);
        TunReader reader = westReader(wire, false, counters);
        byte[][] out = new byte[count][];
        for (int i = 0; i < count; i++) {
            reader.readOnce();
            List<byte[]> datagrams = wire.takeCaptured();
            assertThat(datagrams).hasSize(SEGMENTS);
            int size = datagrams.get(0).length;
            out[i] = new byte[SEGMENTS * size];
            for (int d = 0; d < SEGMENTS; d++) {
                assertThat(datagrams.get(d)).hasSize(size);
                System.arraycopy(datagrams.get(d), 0, out[i], d * size, size);
            }
        }
        return out;
    }

    private static TunReader westReader(MemoryEncapSocket socket, boolean gso, DataPathCounters counters) {
        SaTable sas = new SaTable();
        sas.install(new OutboundPath(new OutboundSa(config(WEST, EAST)), new UdpEgress(socket, PEER), 1400),
                new InboundSa(config(WEST, EAST)), true);
        MemoryTun tun = new MemoryTun(TcpSuperPacket.frame(0x0a010001, 0x0a020002, MSS, SEGMENTS));
        return new TunReader(tun, sas, new TrapTable(), counters, new SendBatcher(gso, counters));
    }

    /** Both gateways' SAs of the one direction share SPI and keys; the keys are arbitrary fixed bytes. */
    private static SaConfig config(TrafficSelector local, TrafficSelector remote) {
        byte[] enc = new byte[SUITE.encKeyBytes()];
        byte[] integ = new byte[SUITE.integKeyBytes()];
        for (int i = 0; i < enc.length; i++) enc[i] = (byte) (i + 1);
        for (int i = 0; i < integ.length; i++) integ[i] = (byte) (0x40 + i);
        return SaConfig.builder(SPI, SUITE, new SaKeys(enc, integ)).esn(true).provider(CryptoProvider.JCE)
                .selectors(List.of(local), List.of(remote)).build();
    }
}
