package io.causeway.daemon.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The engine's failure messages (IkeSession) map onto the fixed label set. */
class FailureReasonTest {
    @Test
    void engineMessagesMapOntoTheFixedReasons() {
        assertThat(FailureReason.of("peer answered AUTHENTICATION_FAILED: check the pre-shared key and both ids"))
                .isEqualTo(FailureReason.AUTH_FAILED);
        assertThat(FailureReason.of("peer 192.0.2.2 (id moon) failed PSK authentication; answered AUTHENTICATION_FAILED:"
                + " check the pre-shared key and both ids")).isEqualTo(FailureReason.AUTH_FAILED);
        assertThat(FailureReason.of("peer's AUTH does not verify: check the pre-shared key and both ids"))
                .isEqualTo(FailureReason.AUTH_FAILED);
        assertThat(FailureReason.of("peer answered NO_PROPOSAL_CHOSEN to IKE_SA_INIT: we offered ike=aes128"))
                .isEqualTo(FailureReason.NO_PROPOSAL);
        assertThat(FailureReason.of("peer answered NO_PROPOSAL_CHOSEN for the CHILD_SA: we offered esp=aes128"))
                .isEqualTo(FailureReason.NO_PROPOSAL);
        assertThat(FailureReason.of("peer answered TS_UNACCEPTABLE for the CHILD_SA: we proposed 10.1.0.0/16"))
                .isEqualTo(FailureReason.TS_UNACCEPTABLE);
        assertThat(FailureReason.of("no answer from 192.0.2.2 after 5 retransmissions")).isEqualTo(FailureReason.TIMEOUT);
        assertThat(FailureReason.of("internal error handling IKE_AUTH: NullPointerException")).isEqualTo(FailureReason.OTHER);
        assertThat(FailureReason.of(null)).isEqualTo(FailureReason.OTHER);
        assertThat(FailureReason.TS_UNACCEPTABLE.label()).isEqualTo("ts_unacceptable");
    }
}
