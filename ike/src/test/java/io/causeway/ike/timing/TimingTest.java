package io.causeway.ike.timing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TimingTest {
    @Test
    void strongSwanRetransmitsFiveTimesWithGrowingWaits() {
        RetransmitSchedule s = RetransmitSchedule.STRONGSWAN;
        // strongSwan's documented schedule (retransmit_timeout 4.0, retransmit_base 1.8, retransmit_tries 5)
        assertThat(s.waitAfter(0)).isEqualTo(Duration.ofMillis(4000));
        assertThat(s.waitAfter(1)).isEqualTo(Duration.ofMillis(7200));
        assertThat(s.waitAfter(2)).isEqualTo(Duration.ofMillis(12960));
        assertThat(s.waitAfter(4)).isEqualTo(Duration.ofMillis(41990));
        assertThat(s.waitAfter(5)).isEqualTo(Duration.ofMillis(75583));
        assertThat(s.exhausted(4)).isFalse();
        assertThat(s.exhausted(5)).isTrue();
    }

    @Test
    void rekeyStartsBeforeExpiryByMarginPlusFuzz() {
        Duration lifetime = Duration.ofHours(1);
        Duration margin = Duration.ofMinutes(9);
        RekeySchedule earliest = RekeySchedule.of(lifetime, margin, 100, bound -> bound);
        RekeySchedule latest = RekeySchedule.of(lifetime, margin, 100, bound -> 0);

        assertThat(latest.rekeyAfter()).isEqualTo(Duration.ofMinutes(51));
        assertThat(earliest.rekeyAfter()).isEqualTo(Duration.ofMinutes(42));
        assertThat(earliest.expireAfter()).isEqualTo(lifetime);
    }

    @Test
    void byteLimitsFollowTheSameRuleAndZeroMeansNone() {
        assertThat(RekeySchedule.softLimit(1_000_000, 100_000, 100, bound -> bound / 2)).isEqualTo(850_000);
        assertThat(RekeySchedule.softLimit(0, 100_000, 100, bound -> bound)).isZero();
    }
}
