package io.causeway.bench;

import io.causeway.esp.CryptoProvider;
import io.causeway.esp.EspSuite;
import io.causeway.esp.OutboundSa;
import io.causeway.esp.SaConfig;
import io.causeway.esp.SaKeys;
import io.causeway.esp.policy.Sad;
import io.causeway.esp.InboundSa;
import io.causeway.esp.policy.Spd;
import io.causeway.esp.policy.TrafficSelector;
import java.util.ArrayList;
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
 * this SPI) against the number of selector pairs the gateway holds, one SA per pair (10.a.b.0/24 to 172.16+a.b.0/24),
 * as the baseline for issue 13's flat lookups. The packet asked for matches the last pair in the file's order, which
 * for the SPD's most-specific-first scan is its worst case among equally specific selectors.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SpdLookupBench {
    @Param({"1", "100", "1000", "10000"})
    public int pairs;

    private Spd spd;
    private Sad sad;
    private byte[] packet;
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
            TrafficSelector local = TrafficSelector.parse("10." + a + "." + b + ".0/24");
            TrafficSelector remote = TrafficSelector.parse("172." + (16 + a) + "." + b + ".0/24");
            SaConfig cfg = SaConfig.builder(0x1000 + i, suite, keys).selectors(List.of(local), List.of(remote))
                    .provider(CryptoProvider.JCE).build();
            out.add(new OutboundSa(cfg));
            in.add(new InboundSa(cfg));
        }
        spd = Spd.of(out);
        sad = Sad.of(in);
        int last = pairs - 1;
        packet = BenchSas.buffer(0, 64, 0);
        packet[0] = 0x45;
        packet[2] = 0;
        packet[3] = 64;
        packet[9] = 1; // ICMP
        byte[] src = {10, (byte) (last / 256), (byte) (last % 256), 1};
        byte[] dst = {(byte) 172, (byte) (16 + last / 256), (byte) (last % 256), 1};
        System.arraycopy(src, 0, packet, 12, 4);
        System.arraycopy(dst, 0, packet, 16, 4);
        packet[6] = 0;
        packet[7] = 0; // not a fragment
        spi = 0x1000 + last;
        if (spd.lookup(packet, 0, packet.length) == null || sad.lookup(spi) == null) {
            throw new IllegalStateException("the benchmark packet matches no SA");
        }
    }

    @Benchmark
    public OutboundSa spd() {
        return spd.lookup(packet, 0, packet.length);
    }

    @Benchmark
    public InboundSa sad() {
        return sad.lookup(spi);
    }
}
