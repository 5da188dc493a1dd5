package io.causeway.tun.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** Native memory only, no privileges: runs as a unit test. */
class SockAddrTest {

    @Test
    void exposesFieldsWithoutAllocating() throws Exception {
        SockAddr v4 = SockAddr.of(new InetSocketAddress(InetAddress.getByName("198.51.100.9"), 4500));
        assertThat(v4.family()).isEqualTo(2);
        assertThat(v4.isIpv6()).isFalse();
        assertThat(v4.port()).isEqualTo(4500);
        assertThat(v4.length()).isEqualTo(16);
        byte[] ip = new byte[16];
        assertThat(v4.copyAddress(ip, 0)).isEqualTo(4);
        assertThat(ip).startsWith(198, 51, 100, 9);

        SockAddr v6 = SockAddr.of(new InetSocketAddress(InetAddress.getByName("2001:db8::7"), 500));
        assertThat(v6.isIpv6()).isTrue();
        assertThat(v6.length()).isEqualTo(28);
        assertThat(v6.port()).isEqualTo(500);
        assertThat(v6.toInetSocketAddress()).isEqualTo(new InetSocketAddress(InetAddress.getByName("2001:db8::7"), 500));
    }

    @Test
    void aFixedDestinationCannotBeReceivedInto() throws Exception {
        SockAddr fixed = SockAddr.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 1));
        assertThatThrownBy(fixed::prepareLengthForReceive).isInstanceOf(IllegalArgumentException.class);
        assertThat(SockAddr.receiver().prepareLengthForReceive()).isNotZero();
    }
}
