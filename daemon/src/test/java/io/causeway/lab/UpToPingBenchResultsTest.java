package io.causeway.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class UpToPingBenchResultsTest {
    private static final UpToPingBench.Settings SETTINGS =
            new UpToPingBench.Settings(3, 1, true, true, true, null, Path.of("/tmp/unused"),
                    UpToPingBench.Protocol.IKEV2);

    private static UpToPingBench.Measurement measured(String name, double... firstReply) {
        List<UpToPingBench.Sample> samples = java.util.Arrays.stream(firstReply)
                .mapToObj(ms -> new UpToPingBench.Sample(ms, ms + 100)).toList();
        return new UpToPingBench.Measurement(name, samples, null);
    }

    @Test
    void mediansMinMaxAndRatio() {
        UpToPingBench.Results results = new UpToPingBench.Results(SETTINGS,
                measured("strongSwan", 120, 100, 400), measured("Causeway", 300, 900, 250),
                measured("Causeway socket", 130, 110, 150), measured("Causeway pair", 150, 90, 180));

        assertThat(results.strongSwan().medianMillis()).isEqualTo(120.0);
        assertThat(results.strongSwan().minMillis()).isEqualTo(100.0);
        assertThat(results.strongSwan().maxMillis()).isEqualTo(400.0);
        assertThat(results.causeway().medianCommandMillis()).isEqualTo(400.0);
        assertThat(results.ratio()).isEqualTo(2.5);
        assertThat(results.socketRatio()).isCloseTo(130.0 / 120.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(results.pairRatio()).isEqualTo(1.25);
        assertThat(results.failed()).isFalse();
        assertThat(results.table()).contains("2.50", "1.08", "1.25", "[300, 900, 250]", "ratio Causeway/strongSwan",
                "after 1 warm-up", "IKEv2 PSK aes128-sha256-ecp256, ESP aes128gcm16");
    }

    @Test
    void ikev1TableNamesMainModeAndItsProposals() {
        UpToPingBench.Settings v1 = SETTINGS.with(UpToPingBench.Protocol.IKEV1);
        UpToPingBench.Results results = new UpToPingBench.Results(v1, measured("strongSwan", 40),
                measured("Causeway", 400), measured("Causeway socket", 60),
                UpToPingBench.Measurement.failed("Causeway pair", "skipped"));

        assertThat(results.table()).contains("IKEv1 main mode PSK aes128-sha1-modp2048, ESP aes128-sha1", "skipped");
        assertThat(results.pairRatio()).isNaN();
        assertThat(results.failed()).as("pair was asked for").isTrue();
        assertThat(UpToPingBench.Protocol.of("1")).isEqualTo(UpToPingBench.Protocol.IKEV1);
    }

    @Test
    void failedPartShowsWhyAndNoRatio() {
        UpToPingBench.Results results = new UpToPingBench.Results(SETTINGS,
                measured("strongSwan", 120), UpToPingBench.Measurement.failed("Causeway", "no READY line"),
                UpToPingBench.Measurement.failed("Causeway socket", "see above"), measured("Causeway pair", 150));

        assertThat(results.ratio()).isNaN();
        assertThat(results.failed()).isTrue();
        assertThat(results.table()).contains("FAILED", "n/a", "no READY line");
    }

    @Test
    void readsTheTimestampOfPingsFirstReply() {
        // the shape of iputils ping -D output on this Debian 12 machine (addresses and times edited)
        String output = """
                PING 10.2.0.1 (10.2.0.1) from 10.1.0.1 : 56(84) bytes of data.
                [1700000000.250125] 64 bytes from 10.2.0.1: icmp_seq=37 ttl=64 time=1.21 ms

                --- 10.2.0.1 ping statistics ---
                37 packets transmitted, 1 received, 97.2973% packet loss, time 372ms
                """;

        assertThat(UpToPingBench.firstReplyEpochMillis(output).orElseThrow())
                .isCloseTo(1_700_000_000_250.125, org.assertj.core.data.Offset.offset(0.001));
        assertThat(UpToPingBench.firstReplyEpochMillis("PING x\n--- stats ---\n")).isEmpty();
    }
}
