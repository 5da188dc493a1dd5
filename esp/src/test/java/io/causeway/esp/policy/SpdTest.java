package io.causeway.esp.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.esp.CryptoProvider;
import io.causeway.esp.EspSuite;
import io.causeway.esp.OutboundSa;
import io.causeway.esp.SaConfig;
import io.causeway.esp.testing.Packets;
import io.causeway.esp.testing.Sas;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
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

    private static OutboundSa saV6(int spi, String local, String remote) {
        EspSuite suite = EspSuite.parse("aes128gcm16");
        return new OutboundSa(SaConfig.builder(spi, suite, Sas.keys(suite, spi)).provider(CryptoProvider.JCE)
                .selectors(List.of(TrafficSelector.parse(local)), List.of(TrafficSelector.parse(remote))).build());
    }

    @Test
    void mostSpecificIpv6SelectorWinsWhateverTheInsertionOrder() {
        OutboundSa any = saV6(1, "::/0", "::/0");
        OutboundSa wide = saV6(2, "fd00::/16", "fd01::/16");
        OutboundSa fromHost = saV6(3, "fd00::7", "fd01::/16");
        OutboundSa site = saV6(4, "fd00::/16", "fd01:0:0:1::/64");
        OutboundSa upperHalf = saV6(5, "fd00::/16", "fd01:0:0:1:8000::/65");
        OutboundSa pairOfHosts = saV6(6, "::/0", "fd01:0:0:1:8000::4/127");
        OutboundSa host = saV6(7, "fd00::/16", "fd01:0:0:1:8000::5");
        OutboundSa hostHttps = saV6(8, "fd00::/16", "fd01:0:0:1:8000::5[tcp/443]");
        OutboundSa siteDns = saV6(9, "fd00::/16", "fd01:0:0:1::/64[udp/53]");
        List<OutboundSa> sas = new ArrayList<>(List.of(any, wide, fromHost, site, upperHalf, pairOfHosts, host,
                hostHttps, siteDns));
        Random r = new Random(6);
        for (int order = 0; order < 20; order++) {
            Collections.shuffle(sas, r);
            Spd spd = Spd.of(sas);
            String as = "insertion order " + sas.stream().map(OutboundSa::spi).toList();
            assertThat(lookup(spd, "fd00::1", "fd01:0:0:1:8000::5", Packets.TCP, 443)).as(as).isSameAs(hostHttps);
            assertThat(lookup(spd, "fd00::1", "fd01:0:0:1:8000::5", Packets.TCP, 80)).as(as).isSameAs(host);
            assertThat(lookup(spd, "fd00::1", "fd01:0:0:1:8000::4", Packets.UDP, 53)).as(as).isSameAs(pairOfHosts);
            assertThat(lookup(spd, "2001:db8::1", "fd01:0:0:1:8000::4", Packets.UDP, 53)).as("%s: a /127 remote beats the local /16s, whatever the local", as).isSameAs(pairOfHosts);
            assertThat(lookup(spd, "fd00::1", "fd01:0:0:1:8000::6", Packets.UDP, 53)).as(as).isSameAs(upperHalf);
            assertThat(lookup(spd, "fd00::1", "fd01:0:0:1::6", Packets.UDP, 53)).as(as).isSameAs(siteDns);
            assertThat(lookup(spd, "fd00::1", "fd01:0:0:1::6", Packets.UDP, 54)).as(as).isSameAs(site);
            assertThat(lookup(spd, "fd00::7", "fd01:0:0:2::1", Packets.TCP, 22)).as("%s: equal remote prefixes: the longer local one wins", as).isSameAs(fromHost);
            assertThat(lookup(spd, "fd00::8", "fd01:0:0:2::1", Packets.TCP, 22)).as(as).isSameAs(wide);
            assertThat(lookup(spd, "fd00::7", "fd01:0:0:1::1", Packets.TCP, 22)).as("%s: a longer remote prefix wins over a longer local one", as).isSameAs(site);
            assertThat(lookup(spd, "2001:db8::1", "2001:db8::2", Packets.TCP, 22)).as(as).isSameAs(any);
            assertThat(lookup(spd, "192.168.0.1", "10.0.0.1", Packets.TCP, 22)).as("%s: IPv6 selectors never match IPv4", as).isNull();
        }
    }

    @Test
    void lookupsAllocateNothing() {
        Assumptions.assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        List<OutboundSa> sas = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            String g = Integer.toHexString(i);
            sas.add(saV6(0x100 + i, "fd00:" + g + "::/48", "fd01:" + g + "::/" + (48 + i % 3 * 40)));
        }
        sas.add(sa(0x10, "10.1.0.0/16"));
        Spd spd = Spd.of(sas);
        byte[][] packets = {
            Packets.ip("fd00:3e7::1", "fd01:3e7::", Packets.TCP, 40000, 443, 10, 1),
            Packets.ip("fd00:3e7::1", "fd01:3e8::", Packets.TCP, 40000, 443, 10, 1),
            Packets.ip("192.168.0.1", "10.1.0.1", Packets.UDP, 40000, 53, 10, 1),
            Packets.ip("192.168.0.1", "10.2.0.1", Packets.UDP, 40000, 53, 10, 1),
        };
        int hits = lookups(spd, packets, 100_000); // warm up: JIT
        long tid = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(tid);
        lookups(spd, packets, 100_000);
        long allocated = mx.getThreadAllocatedBytes(tid) - before;

        assertThat(hits).as("half the packets are covered").isEqualTo(50_000);
        assertThat(allocated).as("bytes allocated over 100,000 lookups, under one per lookup").isLessThan(100_000);
    }

    private static int lookups(Spd spd, byte[][] packets, int count) {
        int hits = 0;
        for (int i = 0; i < count; i++) {
            byte[] p = packets[i % packets.length];
            if (spd.lookup(p, 0, p.length) != null) {
                hits++;
            }
        }
        return hits;
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
