package io.causeway.daemon.dataplane;

import io.causeway.esp.EspSuite;
import io.causeway.esp.InboundSa;
import io.causeway.esp.OutboundSa;
import io.causeway.esp.SaConfig;
import io.causeway.esp.SaKeys;
import io.causeway.esp.offload.VirtioNetHeader;
import io.causeway.esp.policy.TrafficSelector;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The whole data path in memory, with the daemon's own classes: one operation is one 64 KiB TCP TSO super-packet
 * (48 segments of {@value #MSS} bytes behind a virtio-net GSO header).
 *
 * <ul>
 *   <li>{@code outbound}: {@link TunReader#readOnce} reads it from a {@link MemoryTun}, splits it, looks the SA up,
 *       seals the 48 packets in place and sends them through {@link SendBatcher} and {@link UdpEgress} as UDP GSO
 *       batches to a {@link MemoryEncapSocket} (45 + 3 datagrams for GCM: a batch holds 65,000 bytes).
 *   <li>{@code inbound}: the 48 datagrams that same outbound path sealed arrive as GRO batches of at most 65,535
 *       bytes (two receives); {@link UdpEncapReader#receiveOnce} demultiplexes them, {@link InboundPath} opens them
 *       and {@link GroTunSink} coalesces each batch into one TCP super-packet written to a {@link MemoryTun}.
 * </ul>
 *
 * <p>Opening consumes the ciphertext and the replay window refuses a sequence number twice, so the inbound state
 * seals {@value #RING} super-packets before the measurement, with the real outbound path, and a fresh
 * {@link InboundSa} (same keys) takes over each time the ring wraps: 1/{@value #RING} of an SA install, and of the
 * cipher and MAC its first packet builds for the thread, is in each operation's figures (the only bytes an inbound
 * operation allocates besides the provider's; {@code DataPathAllocationTest} shows the path itself allocates none). Resealing in a {@code Level.Invocation} setup was the alternative: JMH's GC profiler counts
 * what such a setup allocates (the provider's own garbage of 48 seals) against the inbound operation, and the
 * timestamps around every invocation cost more than the wrap does. Measuring both directions in one operation would
 * hide which one costs what.
 *
 * <p>In the daemon's package because the classes measured are package-private there (the classpath allows one
 * package in two jars), so nothing of the daemon's public API exists for the benchmark's sake; the in-memory TUN,
 * socket and super-packet are the daemon tests' own (its test jar), the ones {@code DataPathAllocationTest} uses.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class DataPathBench {
    static final int MSS = 1360;
    static final int SEGMENTS = 48;
    static final int RING = 1024;
    private static final int SPI = 0x0c0ffee0;
    private static final int INNER_MTU = 1400;
    private static final int WEST_HOST = 0x0a010001; // 10.1.0.1
    private static final int EAST_HOST = 0x0a020002; // 10.2.0.2
    private static final TrafficSelector WEST = TrafficSelector.parse("10.1.0.0/16");
    private static final TrafficSelector EAST = TrafficSelector.parse("10.2.0.0/16");
    private static final InetSocketAddress PEER = new InetSocketAddress("192.0.2.2", 4500);

    /** The outbound side: west's gateway, sealing what its TUN reads. */
    @State(Scope.Thread)
    public static class Outbound {
        /** GCM on its default provider (ACCP) and CBC+HMAC on its default (SunJCE). */
        @Param({"aes128gcm16", "aes128-sha256"})
        public String suite;

        TunReader reader;
        MemoryEncapSocket socket;
        DataPathCounters counters;
        private long reads;

        @Setup
        public void setUp() {
            counters = new DataPathCounters();
            socket = new MemoryEncapSocket(false);
            reader = westReader(EspSuite.parse(suite), socket, true, counters);
            long before = socket.sent();
            read();
            if (socket.sent() - before != SEGMENTS) {
                throw new IllegalStateException("one read sent " + (socket.sent() - before) + " datagrams, not "
                        + SEGMENTS + "; counters " + counters.snapshot());
            }
        }

        boolean read() {
            reads++;
            return reader.readOnce();
        }

        @TearDown
        public void check() {
            requireNoDrops(counters);
            if (socket.sent() != reads * SEGMENTS) {
                throw new IllegalStateException(socket.sent() + " datagrams sent in " + reads + " reads");
            }
        }
    }

    /** The inbound side: east's gateway, opening what west sealed. */
    @State(Scope.Thread)
    public static class Inbound {
        @Param({"aes128gcm16", "aes128-sha256"})
        public String suite;

        private final byte[][] ring = new byte[RING][];
        private int segment;
        private int batchBytes;
        private int next;
        private MemoryEncapSocket socket;
        private MemoryTun tun;
        private DataPathCounters counters;
        private SaTable sas;
        private OutboundPath eastPath;
        private SaConfig eastConfig;
        private InboundSa inbound;
        private UdpEncapReader reader;
        private long batches;

        @Setup
        public void setUp() {
            EspSuite s = EspSuite.parse(suite);
            sealRing(s);
            counters = new DataPathCounters();
            socket = new MemoryEncapSocket(false);
            tun = new MemoryTun(new byte[0]);
            sas = new SaTable();
            eastConfig = config(s, EAST, WEST);
            eastPath = new OutboundPath(new OutboundSa(config(s, EAST, WEST)), new UdpEgress(socket, PEER), INNER_MTU);
            inbound = new InboundSa(eastConfig);
            sas.install(eastPath, inbound, true);
            InboundPath path = new InboundPath(sas, new TransportSas(), new GroTunSink(tun, counters), counters);
            reader = new UdpEncapReader(socket, path, (datagram, from, to) -> { }, counters);

            receive();
            int perBatch = batchBytes / segment;
            long expected = (long) SEGMENTS * MSS + (long) batchesPerOperation() * (VirtioNetHeader.LENGTH
                    + TcpSuperPacket.IP_HEADER + TcpSuperPacket.TCP_HEADER);
            if (tun.writes() != batchesPerOperation() || tun.bytesWritten() != expected) {
                throw new IllegalStateException("one super-packet in " + batchesPerOperation() + " batches of "
                        + perBatch + " became " + tun.writes() + " TUN writes of " + tun.bytesWritten()
                        + " bytes, not " + expected + "; counters " + counters.snapshot());
            }
        }

        /** West's real outbound path, datagrams sent one by one (no GSO) so the memory socket can keep them. */
        private void sealRing(EspSuite s) {
            DataPathCounters west = new DataPathCounters();
            MemoryEncapSocket wire = new MemoryEncapSocket(true);
            TunReader sealer = westReader(s, wire, false, west);
            for (int i = 0; i < RING; i++) {
                sealer.readOnce();
                List<byte[]> datagrams = wire.takeCaptured();
                if (datagrams.size() != SEGMENTS) {
                    throw new IllegalStateException("sealed " + datagrams.size() + " datagrams; " + west.snapshot());
                }
                segment = datagrams.get(0).length;
                byte[] all = new byte[SEGMENTS * segment];
                for (int d = 0; d < SEGMENTS; d++) {
                    if (datagrams.get(d).length != segment) throw new IllegalStateException("unequal datagrams");
                    System.arraycopy(datagrams.get(d), 0, all, d * segment, segment);
                }
                ring[i] = all;
            }
            requireNoDrops(west);
            // Linux's UDP GRO stops a batch at 64 segments or 64 KiB (udp_gro_receive_segment)
            batchBytes = Math.min(64, 65_535 / segment) * segment;
        }

        int batchesPerOperation() {
            return (SEGMENTS * segment + batchBytes - 1) / batchBytes;
        }

        long receive() {
            if (next == RING) {
                next = 0;
                renewInboundSa();
            }
            byte[] datagrams = ring[next++];
            for (int off = 0; off < datagrams.length; off += batchBytes) {
                socket.arrive(datagrams, off, Math.min(batchBytes, datagrams.length - off), segment);
                reader.receiveOnce();
                batches++;
            }
            return tun.writes();
        }

        /** The ring's sequence numbers start again: a new SA with the same keys, as after a rekey. */
        private void renewInboundSa() {
            sas.remove(eastPath.sa(), SPI);
            inbound = new InboundSa(eastConfig);
            sas.install(eastPath, inbound, true);
        }

        @TearDown
        public void check() {
            requireNoDrops(counters);
            if (tun.writes() != batches) {
                throw new IllegalStateException(tun.writes() + " TUN writes for " + batches + " receive batches");
            }
        }
    }

    @Benchmark
    public boolean outbound(Outbound state) {
        return state.read();
    }

    @Benchmark
    public long inbound(Inbound state) {
        return state.receive();
    }

    /** West's TUN worker over a memory TUN that reads the super-packet again and again. */
    static TunReader westReader(EspSuite suite, MemoryEncapSocket socket, boolean gso, DataPathCounters counters) {
        SaTable sas = new SaTable();
        OutboundSa out = new OutboundSa(config(suite, WEST, EAST));
        sas.install(new OutboundPath(out, new UdpEgress(socket, PEER), INNER_MTU),
                new InboundSa(config(suite, WEST, EAST)), true);
        MemoryTun tun = new MemoryTun(TcpSuperPacket.frame(WEST_HOST, EAST_HOST, MSS, SEGMENTS));
        return new TunReader(tun, sas, new TrapTable(), counters, new SendBatcher(gso, counters));
    }

    /** Fixed keys, ESN, the suite's default provider; both gateways' SAs of one direction share SPI and keys. */
    static SaConfig config(EspSuite suite, TrafficSelector local, TrafficSelector remote) {
        Random r = new Random(7);
        byte[] enc = new byte[suite.encKeyBytes()];
        byte[] integ = new byte[suite.integKeyBytes()];
        r.nextBytes(enc);
        r.nextBytes(integ);
        return SaConfig.builder(SPI, suite, new SaKeys(enc, integ)).esn(true)
                .selectors(List.of(local), List.of(remote)).build();
    }

    static void requireNoDrops(DataPathCounters counters) {
        for (Map.Entry<String, Object> e : counters.snapshot().entrySet()) {
            if (((Long) e.getValue()) != 0) throw new IllegalStateException("drops: " + counters.snapshot());
        }
    }
}
