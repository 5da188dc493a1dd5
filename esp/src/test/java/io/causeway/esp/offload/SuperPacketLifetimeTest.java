package io.causeway.esp.offload;

import static io.causeway.esp.offload.Reference.ACK;
import static io.causeway.esp.offload.Reference.PSH;
import static io.causeway.esp.offload.Reference.TCP;
import static io.causeway.esp.offload.Reference.TIMESTAMPS;
import static io.causeway.esp.offload.VirtioNetHeader.F_NEEDS_CSUM;
import static io.causeway.esp.offload.VirtioNetHeader.GSO_TCPV4;
import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.esp.CryptoProvider;
import io.causeway.esp.EspSuite;
import io.causeway.esp.LimitKind;
import io.causeway.esp.OutboundSa;
import io.causeway.esp.SaConfig;
import io.causeway.esp.testing.Sas;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A TUN super-packet counts against an SA's lifetimes as the segments a peer receives, the way the outbound worker
 * handles it: split, then each segment sealed on its own. Counting per read would let a 64 KiB read pass a packet
 * limit 45 packets late.
 */
class SuperPacketLifetimeTest {
    private static final int MSS = 1448;
    private static final int SEGMENTS = 45;

    @Test
    void everySegmentOfASuperPacketIsCountedAndTheLimitFiresOnTheSegmentThatReachesIt() {
        List<String> events = new ArrayList<>();
        int[] sealed = {0};
        OutboundSa out = Sas.out(Sas.config(EspSuite.parse("aes128gcm16"), CryptoProvider.JCE)
                .packetLimits(10, 100).byteLimits(SaConfig.UNLIMITED, SaConfig.UNLIMITED)
                .limitListener((spi, inbound, kind) -> events.add(kind + " at " + sealed[0])));
        Reference.Ip ip = Reference.Ip.v4(1);
        byte[] payload = Reference.payload(SEGMENTS * MSS, 7);
        byte[] full = Reference.tcp(ip, 40_000, 5201, 1, 2, ACK | PSH, 501, TIMESTAMPS, payload);
        byte[] frame = Reference.vnet(F_NEEDS_CSUM, GSO_TCPV4, 128, MSS, ip.headerLength(), 16,
                Reference.partial(full, ip, TCP));
        GsoSplitter splitter = new GsoSplitter();
        assertThat(splitter.start(frame, 0, frame.length)).isEqualTo(SEGMENTS);

        byte[] buf = new byte[out.headroom() + 65_535 + out.maxTailroom()];
        long innerBytes = 0;
        for (int len; (len = splitter.next(buf, out.headroom())) >= 0; ) {
            sealed[0]++;
            assertThat(out.seal(buf, 0, len, 4)).isPositive();
            innerBytes += len;
        }

        assertThat(sealed[0]).isEqualTo(SEGMENTS);
        assertThat(out.counters().packetsOut()).isEqualTo(SEGMENTS);
        assertThat(out.counters().bytesOut()).isEqualTo(innerBytes);
        assertThat(events).containsExactly(LimitKind.SOFT_PACKETS + " at 10");
    }
}
