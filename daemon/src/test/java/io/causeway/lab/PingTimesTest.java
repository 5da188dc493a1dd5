package io.causeway.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PingTimesTest {
    // Captured on the lab machine (iputils ping) by ThroughputBench's loaded ping: `ping -n -4 -I 10.1.0.1
    // -c 225 -i 0.020 -W 1 10.2.0.1` through a Causeway raw ESP tunnel while iperf3 filled it; its replies to
    // the first 20 requests (12 and 13 were lost), then its summary unchanged (so 225 sent, 195 received in the whole run).
    private static final String UNDER_LOAD = """
        PING 10.2.0.1 (10.2.0.1) from 10.1.0.1 : 56(84) bytes of data.
        64 bytes from 10.2.0.1: icmp_seq=1 ttl=64 time=5.41 ms
        64 bytes from 10.2.0.1: icmp_seq=2 ttl=64 time=0.849 ms
        64 bytes from 10.2.0.1: icmp_seq=3 ttl=64 time=16.2 ms
        64 bytes from 10.2.0.1: icmp_seq=4 ttl=64 time=42.3 ms
        64 bytes from 10.2.0.1: icmp_seq=5 ttl=64 time=26.2 ms
        64 bytes from 10.2.0.1: icmp_seq=6 ttl=64 time=17.4 ms
        64 bytes from 10.2.0.1: icmp_seq=7 ttl=64 time=15.0 ms
        64 bytes from 10.2.0.1: icmp_seq=8 ttl=64 time=1.44 ms
        64 bytes from 10.2.0.1: icmp_seq=9 ttl=64 time=5.77 ms
        64 bytes from 10.2.0.1: icmp_seq=10 ttl=64 time=7.42 ms
        64 bytes from 10.2.0.1: icmp_seq=11 ttl=64 time=8.67 ms
        64 bytes from 10.2.0.1: icmp_seq=14 ttl=64 time=5.51 ms
        64 bytes from 10.2.0.1: icmp_seq=15 ttl=64 time=5.99 ms
        64 bytes from 10.2.0.1: icmp_seq=16 ttl=64 time=2.35 ms
        64 bytes from 10.2.0.1: icmp_seq=17 ttl=64 time=4.88 ms
        64 bytes from 10.2.0.1: icmp_seq=18 ttl=64 time=0.079 ms
        64 bytes from 10.2.0.1: icmp_seq=19 ttl=64 time=0.135 ms
        64 bytes from 10.2.0.1: icmp_seq=20 ttl=64 time=8.27 ms

        --- 10.2.0.1 ping statistics ---
        225 packets transmitted, 195 received, 13.3333% packet loss, time 5062ms
        rtt min/avg/max/mdev = 0.056/3.107/42.258/4.796 ms, pipe 2
        """;

    // Captured on the lab machine: `ping -n -4 -I 127.0.0.1 -c 3 -i 0.020 -W 1 127.0.0.2` on the loopback of a
    // namespace of its own.
    private static final String IDLE = """
        PING 127.0.0.2 (127.0.0.2) from 127.0.0.1 : 56(84) bytes of data.
        64 bytes from 127.0.0.2: icmp_seq=1 ttl=64 time=0.056 ms
        64 bytes from 127.0.0.2: icmp_seq=2 ttl=64 time=0.019 ms
        64 bytes from 127.0.0.2: icmp_seq=3 ttl=64 time=0.023 ms

        --- 127.0.0.2 ping statistics ---
        3 packets transmitted, 3 received, 0% packet loss, time 45ms
        rtt min/avg/max/mdev = 0.019/0.032/0.056/0.016 ms
        """;

    // Captured the same way towards 10.9.9.9, which nobody has: no reply line at all.
    private static final String NO_REPLY = """
        PING 10.9.9.9 (10.9.9.9) from 127.0.0.1 : 56(84) bytes of data.

        --- 10.9.9.9 ping statistics ---
        4 packets transmitted, 0 received, 100% packet loss, time 73ms

        """;

    @Test
    void everyReplyTimeIsKeptInOrder() {
        PingTimes times = PingTimes.parse(IDLE, 1);

        assertThat(times.transmitted()).isEqualTo(3);
        assertThat(times.millis()).containsExactly(0.056, 0.019, 0.023);
        assertThat(times.median()).isEqualTo(0.023);
        assertThat(times.p99()).isEqualTo(0.056);
        assertThat(times.lossPercent()).isZero();
    }

    @Test
    void warmUpRequestsAreLeftOutOfTimesAndCount() {
        PingTimes all = PingTimes.parse(UNDER_LOAD, 1);
        PingTimes fromTen = PingTimes.parse(UNDER_LOAD, 10);

        assertThat(all.millis()).hasSize(18);
        assertThat(all.transmitted()).isEqualTo(225);
        // 10, 11, 14..20: the two lost ones have no time
        assertThat(fromTen.millis()).containsExactly(7.42, 8.67, 5.51, 5.99, 2.35, 4.88, 0.079, 0.135, 8.27);
        assertThat(fromTen.transmitted()).isEqualTo(216);
        assertThat(all.p99()).isEqualTo(42.3);
        assertThat(all.median()).isEqualTo((5.77 + 5.99) / 2);
    }

    @Test
    void nearestRankPercentileOfAHundred() {
        List<Double> millis = new ArrayList<>();
        for (int i = 100; i >= 1; i--) {
            millis.add((double) i);
        }
        PingTimes times = new PingTimes(100, millis);

        assertThat(times.p99()).isEqualTo(99.0);
        assertThat(times.percentile(50)).isEqualTo(50.0);
        assertThat(times.percentile(100)).isEqualTo(100.0);
        assertThat(times.median()).isEqualTo(50.5);
    }

    @Test
    void noReplyMeansNoTimesAndTotalLoss() {
        PingTimes times = PingTimes.parse(NO_REPLY, 1);

        assertThat(times.millis()).isEmpty();
        assertThat(times.median()).isNaN();
        assertThat(times.p99()).isNaN();
        assertThat(times.lossPercent()).isEqualTo(100.0);
    }

    @Test
    void pooledRunsAddUp() {
        PingTimes pooled = PingTimes.pooled(List.of(PingTimes.parse(IDLE, 1), PingTimes.parse(NO_REPLY, 1)));

        assertThat(pooled.transmitted()).isEqualTo(7);
        assertThat(pooled.millis()).containsExactly(0.056, 0.019, 0.023);
        assertThat(pooled.lossPercent()).isCloseTo(400.0 / 7, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void outputWithoutSummaryIsAnError() {
        assertThatThrownBy(() -> PingTimes.parse("ping: connect: Network is unreachable\n", 1))
                .isInstanceOf(LabException.class).hasMessageContaining("Network is unreachable");
    }
}
