package io.causeway.daemon.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.esp.EspSuite;
import io.causeway.esp.InboundSa;
import io.causeway.esp.OutboundSa;
import io.causeway.esp.SaConfig;
import io.causeway.esp.SaKeys;
import io.causeway.esp.policy.TrafficSelector;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which SA the workers seal with while CHILD_SAs of the same selectors come and go: the newest one that sends. The
 * SA of a rekey the peer started receives at once but sends only once told to (make before break, RFC 7296 2.8).
 */
class SaTableTest {
    /** 192.0.2.1 to 192.0.2.2, the addresses of {@link TransportPayloadTest#ipv4}. */
    private static final byte[] PACKET = TransportPayloadTest.ipv4(0, 17, 8, 0);

    private final SaTable table = new SaTable();

    private static SaConfig config(int spi) {
        return SaConfig.builder(spi, EspSuite.aesGcm(128, 16), new SaKeys(new byte[20], new byte[0]))
                .selectors(List.of(TrafficSelector.parse("192.0.2.1/32")), List.of(TrafficSelector.parse("192.0.2.2/32")))
                .build();
    }

    private static OutboundPath path(int spi) {
        return new OutboundPath(new OutboundSa(config(spi)), (buf, off, len) -> true, 1400);
    }

    private static InboundSa inbound(int spi) {
        return new InboundSa(config(spi));
    }

    /** The outbound SPI the workers would seal the packet with, or null for none. */
    private Integer sealedWith() {
        OutboundPath path = table.outbound(PACKET, 0, PACKET.length);
        return path == null ? null : path.sa().spi();
    }

    @Test
    void aReplacedSaStopsSealingAtOnceAndOpensUntilItsInboundSideIsRemoved() {
        OutboundPath old = path(0x101);
        InboundSa oldIn = inbound(0x1);
        table.install(old, oldIn, true);
        table.install(path(0x102), inbound(0x2), true);

        table.removeOutbound(old.sa());
        assertThat(sealedWith()).isEqualTo(0x102);
        assertThat(table.inbound(0x1)).as("packets still on their way open").isSameAs(oldIn);

        table.removeInbound(oldIn);
        assertThat(table.inbound(0x1)).isNull();
        assertThat(table.inbound(0x2)).isNotNull();
    }

    @Test
    void aLateRemovalOfAnInboundSaLeavesANewerOneWithTheSameSpi() {
        OutboundPath first = path(0x101);
        InboundSa lingering = inbound(0x1);
        table.install(first, lingering, true);
        table.remove(first.sa(), 0x1);
        InboundSa newer = inbound(0x1);
        table.install(path(0x102), newer, true);

        table.removeInbound(lingering);
        assertThat(table.inbound(0x1)).isSameAs(newer);
    }

    @Test
    void anSaInstalledReceivingOnlyOpensAtOnceAndSealsOnlyOnceItStartsSending() {
        OutboundPath old = path(0x101);
        table.install(old, inbound(0x1), true);
        OutboundPath fresh = path(0x102);
        table.install(fresh, inbound(0x2), false);

        assertThat(table.inbound(0x2)).isNotNull();
        assertThat(sealedWith()).isEqualTo(0x101);

        table.startSending(fresh.sa());
        assertThat(sealedWith()).isEqualTo(0x102);
        table.remove(old.sa(), 0x1);
        assertThat(sealedWith()).isEqualTo(0x102);
        assertThat(table.inbound(0x1)).isNull();
    }

    @Test
    void anOlderSaThatStartsSendingDoesNotTakeOverFromANewerOneThatSends() {
        OutboundPath older = path(0x101);
        table.install(older, inbound(0x1), false);
        table.install(path(0x102), inbound(0x2), true);

        table.startSending(older.sa());
        assertThat(sealedWith()).isEqualTo(0x102);
    }

    @Test
    void anSaRemovedBeforeItSentNeverSends() {
        table.install(path(0x101), inbound(0x1), true);
        OutboundPath fresh = path(0x102);
        table.install(fresh, inbound(0x2), false);
        table.remove(fresh.sa(), 0x2);

        table.startSending(fresh.sa());
        assertThat(sealedWith()).isEqualTo(0x101);
        assertThat(table.inbound(0x2)).isNull();
    }
}
