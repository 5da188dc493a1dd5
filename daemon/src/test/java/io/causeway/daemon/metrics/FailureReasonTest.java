package io.causeway.daemon.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.causeway.ike.sa.FailureCause;
import org.junit.jupiter.api.Test;

/** The engine's failure causes map onto the fixed label set. */
class FailureReasonTest {
    @Test
    void everyCauseHasItsFixedLabel() {
        assertThat(FailureReason.label(FailureCause.AUTH_FAILED)).isEqualTo("auth_failed");
        assertThat(FailureReason.label(FailureCause.NO_PROPOSAL)).isEqualTo("no_proposal");
        assertThat(FailureReason.label(FailureCause.TIMEOUT)).isEqualTo("timeout");
        assertThat(FailureReason.label(FailureCause.TS_UNACCEPTABLE)).isEqualTo("ts_unacceptable");
        assertThat(FailureReason.label(FailureCause.OTHER)).isEqualTo("other");
        assertThat(FailureReason.label(null)).isEqualTo("other");
    }
}
