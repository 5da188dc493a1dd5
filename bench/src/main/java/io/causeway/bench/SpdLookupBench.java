package io.causeway.bench;

import io.causeway.esp.CryptoProvider;
import io.causeway.esp.EspSuite;
import io.causeway.esp.InboundSa;
import io.causeway.esp.OutboundSa;
import io.causeway.esp.SaConfig;
import io.causeway.esp.SaKeys;
import io.causeway.esp.policy.Sad;
import io.causeway.esp.policy.Spd;
import io.causeway.esp.policy.TrafficSelector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The cost of one SPD lookup (outbound: which SA protects this inner packet) and one SAD lookup (inbound: the SA of
 * this SPI) against the number of selector pairs the gateway holds, for issue 13's flat lookups. Each SA is dual
 * stack, one pair per family: 10.a.b.0/24 to 172.16+a.b.0/24 and fd00:0:a:b::/64 to fd01:0:a:b::/64. The packet
 * asked for matches the last pair in the file's order, which for a most-specific-first scan is its worst case among
 * equally specific selectors.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SpdLookupBench {
    @Param({"1", "100", "1000", "10000"})
    public int pairs;

    private Spd spd;
    private Sad sad;
    private byte[] packetV4;
    private byte[] packetV6;
    private int spi;

    @Setup
    public void setUp() {
        EspSuite suite = EspSuite.parse("aes128gcm16");
        SaKeys keys = new SaKeys(new byte[suite.encKeyBytes()], new byte[suite.integKeyBytes()]);
        List<OutboundSa> out = new ArrayList<>();
        List<InboundSa> in = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            int a = i / 256;
            int b = i % 256;
            List<TrafficSelector> local = List.of(TrafficSelector.parse("10." + a + "." + b + ".0/24"),
                    TrafficSelector.parse("fd00:0:" + Integer.toHexString(a) + ":" + Integer.toHexString(b) + "::/64"));
            List<TrafficSelector> remote = List.of(TrafficSelector.parse("172." + (16 + a) + "." + b + ".0/24"),
                    TrafficSelector.parse("fd01:0:" + Integer.toHexString(a) + ":" + Integer.toHexString(b) + "::/64"));
            SaConfig cfg = SaConfig.builder(0x1000 + i, suite, keys).selectors(local, remote)
                    .provider(CryptoProvider.JCE).build();
            out.add(new OutboundSa(cfg));
            in.add(new InboundSa(cfg));
        }
        spd = Spd.of(out);
        sad = Sad.of(in);
        int last = pairs - 1;
        packetV4 = v4Packet(last);
        packetV6 = v6Packet(last);
        spi = 0x1000 + last;
        if (spd.lookup(packetV4, 0, packetV4.length) != out.get(last)
                || spd.lookup(packetV6, 0, packetV6.length) != out.get(last) || sad.lookup(spi) == null) {
            throw new IllegalStateException("a benchmark packet does not match the last SA");
        }
    }

    /** ICMP from 10.a.b.1 to 172.16+a.b.1. */
    private static byte[] v4Packet(int pair) {
        byte[] packet = BenchSas.buffer(0, 64, 0);
        packet[0] = 0x45;
        packet[2] = 0;
        packet[3] = 64;
        packet[9] = 1; // ICMP
        byte[] src = {10, (byte) (pair / 256), (byte) (pair % 256), 1};
        byte[] dst = {(byte) 172, (byte) (16 + pair / 256), (byte) (pair % 256), 1};
        System.arraycopy(src, 0, packet, 12, 4);
        System.arraycopy(dst, 0, packet, 16, 4);
        packet[6] = 0;
        packet[7] = 0; // not a fragment
        return packet;
    }

    /** ICMPv6 from fd00:0:a:b::1 to fd01:0:a:b::1: a 40-byte header and 24 bytes of payload. */
    private static byte[] v6Packet(int pair) {
        byte[] packet = BenchSas.buffer(0, 64, 0);
        packet[0] = 0x60;
        packet[1] = 0;
        packet[2] = 0;
        packet[3] = 0;
        packet[4] = 0;
        packet[5] = 24; // payload length
        packet[6] = 58; // ICMPv6, no extension headers
        packet[7] = 64;
        for (int side = 0; side < 2; side++) {
            int at = 8 + 16 * side;
            Arrays.fill(packet, at, at + 16, (byte) 0);
            packet[at] = (byte) 0xfd;
            packet[at + 1] = (byte) side;
            packet[at + 5] = (byte) (pair / 256);
            packet[at + 7] = (byte) (pair % 256);
            packet[at + 15] = 1;
        }
        return packet;
    }

    @Benchmark
    public OutboundSa spdV4() {
        return spd.lookup(packetV4, 0, packetV4.length);
    }

    @Benchmark
    public OutboundSa spdV6() {
        return spd.lookup(packetV6, 0, packetV6.length);
    }

    @Benchmark
    public InboundSa sad() {
        return sad.lookup(spi);
    }
}
