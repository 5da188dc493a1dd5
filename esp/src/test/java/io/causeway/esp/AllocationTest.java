package io.causeway.esp;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.esp.testing.Packets;
import io.causeway.esp.testing.Sas;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The data path promises no per-packet allocation for CBC/HMAC suites (both providers) and for GCM on
 * Bouncy Castle. JCE GCM is exempt: SunJCE needs a GCMParameterSpec per packet (see CryptoProvider.DEFAULT).
 */
class AllocationTest {
    private static final int PACKETS = 5_000;

    @ParameterizedTest
    @CsvSource({"aes128-sha256,JCE", "aes256-sha1,JCE", "3des-sha1,JCE", "aes128-sha512,BOUNCY_CASTLE",
            "3des-sha1,BOUNCY_CASTLE", "aes128gcm16,BOUNCY_CASTLE", "aes256gcm8,JCE"})
    void steadyStateSealAndOpenDoNotAllocate(String suite, CryptoProvider provider) {
        Assumptions.assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        SaConfig.Builder cfg = Sas.config(EspSuite.parse(suite), provider).esn(true).replayWindow(64);
        OutboundSa out = Sas.out(cfg);
        InboundSa in = Sas.in(cfg);
        byte[] inner = Packets.udp("10.0.0.1", "10.0.0.2", 300);
        byte[] buf = new byte[out.headroom() + inner.length + out.maxTailroom()];
        Opened opened = new Opened();

        roundTrips(out, in, inner, buf, opened); // warm up: thread-local contexts, JIT
        long before = mx.getThreadAllocatedBytes(Thread.currentThread().getId());
        roundTrips(out, in, inner, buf, opened);
        long perPacket = (mx.getThreadAllocatedBytes(Thread.currentThread().getId()) - before) / PACKETS;

        assertThat(perPacket).as("bytes allocated per seal+open").isLessThan(8);
    }

    private static void roundTrips(OutboundSa out, InboundSa in, byte[] inner, byte[] buf, Opened opened) {
        for (int i = 0; i < PACKETS; i++) {
            System.arraycopy(inner, 0, buf, out.headroom(), inner.length);
            int len = out.seal(buf, 0, inner.length, 4);
            if (in.open(buf, 0, len, opened) != DropReason.NONE) {
                throw new AssertionError("round trip failed at packet " + i);
            }
        }
    }
}
