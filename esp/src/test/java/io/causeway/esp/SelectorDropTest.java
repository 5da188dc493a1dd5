package io.causeway.esp;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.esp.policy.TrafficSelector;
import io.causeway.esp.testing.Packets;
import io.causeway.esp.testing.Sas;
import io.causeway.esp.testing.Wire;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 4301 5.2: a decrypted tunnel packet must fall inside its SA's selectors. */
class SelectorDropTest {
    private final List<TrafficSelector> local = List.of(TrafficSelector.parse("10.1.0.0/16"), TrafficSelector.parse("fd01::/16"));
    private final List<TrafficSelector> remote = List.of(TrafficSelector.parse("10.2.0.0/16"), TrafficSelector.parse("fd02::/16"));

    @Test
    void packetsOutsideTheSelectorsAreDropped() {
        SaConfig.Builder cfg = Sas.config(EspSuite.parse("aes128gcm16"), CryptoProvider.JCE).selectors(local, remote);
        OutboundSa peer = Sas.out(cfg);
        InboundSa in = Sas.in(cfg);

        assertThat(open(in, Wire.seal(peer, Packets.udp("10.2.0.9", "10.1.0.9", 10), 4))).isEqualTo(DropReason.NONE);
        assertThat(open(in, Wire.seal(peer, Packets.udp("10.3.0.9", "10.1.0.9", 10), 4))).isEqualTo(DropReason.SELECTOR);
        assertThat(open(in, Wire.seal(peer, Packets.udp("10.2.0.9", "10.9.0.9", 10), 4))).isEqualTo(DropReason.SELECTOR);
        assertThat(open(in, Wire.seal(peer, Packets.udp("fd02::9", "fd01::9", 10), 41))).isEqualTo(DropReason.NONE);
        assertThat(open(in, Wire.seal(peer, Packets.udp("fd03::9", "fd01::9", 10), 41))).isEqualTo(DropReason.SELECTOR);
        assertThat(in.counters().drops(DropReason.SELECTOR)).isEqualTo(3);
        assertThat(in.counters().packetsIn()).isEqualTo(2);
    }

    @Test
    void protocolAndPortSelectorsApplyToTheInnerTransportHeader() {
        SaConfig.Builder cfg = Sas.config(EspSuite.parse("aes128-sha256"), CryptoProvider.BOUNCY_CASTLE)
                .selectors(List.of(TrafficSelector.parse("10.1.0.0/16[tcp/443]")), List.of(TrafficSelector.parse("10.2.0.0/16[tcp]")));
        OutboundSa peer = Sas.out(cfg);
        InboundSa in = Sas.in(cfg);

        byte[] https = Packets.ip("10.2.0.1", "10.1.0.1", Packets.TCP, 50000, 443, 10, 1);
        byte[] ssh = Packets.ip("10.2.0.1", "10.1.0.1", Packets.TCP, 50000, 22, 10, 1);
        assertThat(open(in, Wire.seal(peer, https, 4))).isEqualTo(DropReason.NONE);
        assertThat(open(in, Wire.seal(peer, ssh, 4))).isEqualTo(DropReason.SELECTOR);
    }

    @Test
    void transportModeSkipsTheSelectorCheck() {
        SaConfig.Builder cfg = Sas.config(EspSuite.parse("aes128gcm16"), CryptoProvider.JCE).selectors(local, remote)
                .mode(EspMode.TRANSPORT);
        byte[] notAnIpPacket = {1, 2, 3, 4, 5};
        assertThat(open(Sas.in(cfg), Wire.seal(Sas.out(cfg), notAnIpPacket, 17))).isEqualTo(DropReason.NONE);
    }

    private static DropReason open(InboundSa in, byte[] esp) {
        return in.open(esp, 0, esp.length, new Opened());
    }
}
