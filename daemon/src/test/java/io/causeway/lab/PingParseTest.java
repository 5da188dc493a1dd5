package io.causeway.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PingParseTest {
    // The outputs below were captured on the lab machine (iputils ping) in a Topology.

    // ping -n -q -4 -I 192.0.2.1 -c 3 -i 0.200 -w 3 192.0.2.2 (west to east over the veth)
    private static final String ALL_REPLIES = """
        PING 192.0.2.2 (192.0.2.2) from 192.0.2.1 : 56(84) bytes of data.

        --- 192.0.2.2 ping statistics ---
        3 packets transmitted, 3 received, 0% packet loss, time 406ms
        rtt min/avg/max/mdev = 0.057/0.097/0.172/0.052 ms
        """;

    // ping -6 -c 3 -i 0.2 -I 2001:db8::1 2001:db8::2
    private static final String IPV6_ALL_REPLIES = """
        PING 2001:db8::2(2001:db8::2) from 2001:db8::1 : 56 data bytes
        64 bytes from 2001:db8::2: icmp_seq=1 ttl=64 time=0.109 ms
        64 bytes from 2001:db8::2: icmp_seq=2 ttl=64 time=0.046 ms
        64 bytes from 2001:db8::2: icmp_seq=3 ttl=64 time=0.056 ms

        --- 2001:db8::2 ping statistics ---
        3 packets transmitted, 3 received, 0% packet loss, time 406ms
        rtt min/avg/max/mdev = 0.046/0.070/0.109/0.027 ms
        """;

    // 10.1.0.1 -> 10.2.0.1 with no tunnel: -c 2 -w 2, so ping kept sending until the deadline
    private static final String NO_ROUTE_THROUGH_TUNNEL = """
        PING 10.2.0.1 (10.2.0.1) from 10.1.0.1 : 56(84) bytes of data.

        --- 10.2.0.1 ping statistics ---
        10 packets transmitted, 0 received, 100% packet loss, time 1835ms

        """;

    // ping -c 3 -i 0.2 -I 192.0.2.1 192.0.2.9 (nobody answers ARP)
    private static final String HOST_UNREACHABLE = """
        PING 192.0.2.9 (192.0.2.9) from 192.0.2.1 : 56(84) bytes of data.
        From 192.0.2.1 icmp_seq=1 Destination Host Unreachable
        From 192.0.2.1 icmp_seq=2 Destination Host Unreachable
        From 192.0.2.1 icmp_seq=3 Destination Host Unreachable

        --- 192.0.2.9 ping statistics ---
        3 packets transmitted, 0 received, +3 errors, 100% packet loss, time 407ms
        pipe 3
        """;

    @Test
    void readsCountsAndAverageRtt() {
        Ping.Result result = Ping.parse(ALL_REPLIES);

        assertThat(result.transmitted()).isEqualTo(3);
        assertThat(result.received()).isEqualTo(3);
        assertThat(result.lossPercent()).isZero();
        assertThat(result.rttAvgMillis()).isEqualTo(0.097);
        assertThat(result.allReceived()).isTrue();
    }

    @Test
    void readsIpv6Output() {
        Ping.Result result = Ping.parse(IPV6_ALL_REPLIES);

        assertThat(result.received()).isEqualTo(3);
        assertThat(result.rttAvgMillis()).isEqualTo(0.070);
    }

    @Test
    void totalLossHasNoRtt() {
        Ping.Result result = Ping.parse(NO_ROUTE_THROUGH_TUNNEL);

        assertThat(result.transmitted()).isEqualTo(10);
        assertThat(result.received()).isZero();
        assertThat(result.lossPercent()).isEqualTo(100.0);
        assertThat(result.rttAvgMillis()).isNaN();
        assertThat(result.anyReceived()).isFalse();
    }

    @Test
    void errorCountDoesNotConfuseTheSummary() {
        Ping.Result result = Ping.parse(HOST_UNREACHABLE);

        assertThat(result.transmitted()).isEqualTo(3);
        assertThat(result.received()).isZero();
        assertThat(result.lossPercent()).isEqualTo(100.0);
    }

    @Test
    void readsFractionalLoss() {
        Ping.Result result = Ping.parse("""
            20 packets transmitted, 17 received, 15% packet loss, time 3800ms
            rtt min/avg/max/mdev = 0.800/1.250/3.100/0.400 ms
                """);

        assertThat(result.lossPercent()).isEqualTo(15.0);
        assertThat(result.rttAvgMillis()).isEqualTo(1.25);
    }

    @Test
    void outputWithoutSummaryIsAnError() {
        assertThatThrownBy(() -> Ping.parse("ping: connect: Network is unreachable\n"))
                .isInstanceOf(LabException.class)
                .hasMessageContaining("Network is unreachable");
    }
}
