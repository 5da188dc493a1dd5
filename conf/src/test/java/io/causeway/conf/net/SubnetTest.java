package io.causeway.conf.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import org.junit.jupiter.api.Test;

class SubnetTest {

    @Test
    void parsesAndMasksCidrs() {
        assertThat(Subnet.parse("10.1.2.3/24")).hasToString("10.1.2.0/24");
        assertThat(Subnet.parse("10.1.2.3")).hasToString("10.1.2.3/32");
        assertThat(Subnet.parse("2001:DB8::1/32")).hasToString("2001:db8::/32");
        assertThat(Subnet.parse("0.0.0.0/0").prefixLength()).isZero();
    }

    @Test
    void protoPortSuffix() {
        Subnet s = Subnet.parse("10.0.0.0/8[tcp/443]");
        assertThat(s.protocol()).isEqualTo(6);
        assertThat(s.fromPort()).isEqualTo(443);
        assertThat(s).hasToString("10.0.0.0/8[tcp/443]");
        assertThat(Subnet.parse("10.0.0.0/8[udp/1000-2000]").toPort()).isEqualTo(2000);
        assertThat(s.overlaps(Subnet.parse("10.1.0.0/16[udp]"))).isFalse();
        assertThat(s.overlaps(Subnet.parse("10.1.0.0/16[tcp/400-500]"))).isTrue();
    }

    @Test
    void containsAndOverlaps() {
        Subnet s = Subnet.parse("192.168.0.0/16");
        assertThat(s.contains(IpLiteral.parse("192.168.5.5").orElseThrow())).isTrue();
        assertThat(s.contains(IpLiteral.parse("192.169.0.1").orElseThrow())).isFalse();
        assertThat(s.overlaps(Subnet.parse("192.168.3.0/24"))).isTrue();
        assertThat(Subnet.parse("192.168.3.0/24").overlaps(s)).isTrue();
        assertThat(s.overlaps(Subnet.parse("10.0.0.0/8"))).isFalse();
        assertThat(s.overlaps(Subnet.parse("::/0"))).isFalse();
    }

    @Test
    void rejectsBadInput() {
        assertThatThrownBy(() -> Subnet.parse("10.0.0.0/33")).hasMessage("'10.0.0.0/33': prefix length must be 0..32");
        assertThatThrownBy(() -> Subnet.parse("10.0.0/8")).hasMessageContaining("is not a CIDR block");
        assertThatThrownBy(() -> Subnet.parse("10.0.0.256/8")).hasMessageContaining("is not a CIDR block");
        assertThatThrownBy(() -> Subnet.parse("10.0.0.0/8[foo]")).hasMessageContaining("unknown protocol 'foo'");
    }

    @Test
    void anIpv4MappedIpv6SubnetStaysIpv6() throws Exception {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 10, 1, 0, 7};
        Subnet s = Subnet.of(Inet6Address.getByAddress(null, mapped, -1), 120);
        assertThat(s.isIpv4()).isFalse();
        assertThat(s.address().getAddress()).hasSize(16);
        assertThat(s.prefixLength()).isEqualTo(120);
    }
}
