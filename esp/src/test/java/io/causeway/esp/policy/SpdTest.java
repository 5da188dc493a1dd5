package io.causeway.esp.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.esp.CryptoProvider;
import io.causeway.esp.EspSuite;
import io.causeway.esp.OutboundSa;
import io.causeway.esp.SaConfig;
import io.causeway.esp.testing.Packets;
import io.causeway.esp.testing.Sas;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpdTest {
    private static final TrafficSelector LOCAL = TrafficSelector.parse("192.168.0.0/16");

    private static OutboundSa sa(int spi, String... remote) {
        EspSuite suite = EspSuite.parse("aes128gcm16");
        return new OutboundSa(SaConfig.builder(spi, suite, Sas.keys(suite, spi)).provider(CryptoProvider.JCE)
                .selectors(List.of(LOCAL, TrafficSelector.parse("fd00::/16")),
                        java.util.Arrays.stream(remote).map(TrafficSelector::parse).toList())
                .build());
    }

    @Test
    void mostSpecificSelectorWinsWhateverTheInsertionOrder() {
        OutboundSa wide = sa(1, "10.0.0.0/8", "fd01::/16");
        OutboundSa narrow = sa(2, "10.1.0.0/16", "fd01:1::/32");
        OutboundSa web = sa(3, "10.1.2.0/24[tcp/80]");
        OutboundSa other = sa(4, "172.16.0.0/12");
        Spd spd = Spd.of(List.of(wide, other, web, narrow));

        assertThat(lookup(spd, "192.168.1.1", "10.1.2.3", Packets.TCP, 80)).isSameAs(web);
        assertThat(lookup(spd, "192.168.1.1", "10.1.2.3", Packets.TCP, 443)).isSameAs(narrow);
        assertThat(lookup(spd, "192.168.1.1", "10.1.2.3", Packets.UDP, 80)).isSameAs(narrow);
        assertThat(lookup(spd, "192.168.1.1", "10.9.9.9", Packets.UDP, 53)).isSameAs(wide);
        assertThat(lookup(spd, "192.168.1.1", "172.20.0.1", Packets.UDP, 53)).isSameAs(other);
        assertThat(lookup(spd, "192.168.1.1", "8.8.8.8", Packets.UDP, 53)).isNull();
        assertThat(lookup(spd, "10.5.0.1", "10.1.2.3", Packets.TCP, 80)).as("source outside local selector").isNull();
        assertThat(lookup(spd, "fd00::1", "fd01:1::9", Packets.UDP, 53)).isSameAs(narrow);
        assertThat(lookup(spd, "fd00::1", "fd01:2::9", Packets.UDP, 53)).isSameAs(wide);
        assertThat(lookup(spd, "fd00::1", "fd02::9", Packets.UDP, 53)).isNull();
    }

    @Test
    void garbageIsNotMatched() {
        Spd spd = Spd.of(List.of(sa(1, "0.0.0.0/0")));
        assertThat(spd.lookup(new byte[] {0x45, 0, 0}, 0, 3)).isNull();
        assertThat(spd.lookup(new byte[40], 0, 40)).isNull();
        assertThat(Spd.EMPTY.lookup(Packets.udp("10.0.0.1", "10.0.0.2", 1), 0, 29)).isNull();
    }

    @Test
    void holderPublishesReplacements() {
        SpdHolder holder = new SpdHolder();
        byte[] pkt = Packets.udp("192.168.0.1", "10.0.0.1", 10);
        assertThat(holder.lookup(pkt, 0, pkt.length)).isNull();
        OutboundSa sa = sa(9, "10.0.0.0/8");
        holder.replace(Spd.of(List.of(sa)));
        assertThat(holder.lookup(pkt, 0, pkt.length)).isSameAs(sa);
    }

    private static OutboundSa lookup(Spd spd, String src, String dst, int proto, int dstPort) {
        byte[] p = Packets.ip(src, dst, proto, 40000, dstPort, 10, 1);
        return spd.lookup(p, 0, p.length);
    }
}
