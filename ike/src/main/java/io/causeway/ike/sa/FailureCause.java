package io.causeway.ike.sa;

import io.causeway.ike.v2.message.NotifyType;

/**
 * Why a negotiation ended PHASE1_FAILED or PHASE2_FAILED, from a fixed set: the error text names addresses, ids
 * and proposals, so whatever counts or groups failures (the daemon's metrics) needs this instead.
 */
public enum FailureCause {
    /** PSK authentication failed either way, no PSK for the ids, or the peer named an id we do not accept. */
    AUTH_FAILED,
    /** No IKE or ESP proposal (or DH group) both sides accept, as either side found it. */
    NO_PROPOSAL,
    /** Our request went unanswered through the whole retransmission schedule (RFC 7296 2.1). */
    TIMEOUT,
    /** The traffic selectors of the CHILD_SA do not overlap (RFC 7296 2.9), as either side found it. */
    TS_UNACCEPTABLE,
    /** Anything else: other error notifies, malformed answers, local problems. */
    OTHER;

    /** The cause an error notify of the peer stands for. */
    static FailureCause ofNotify(int notifyType) {
        return switch (notifyType) {
            case NotifyType.AUTHENTICATION_FAILED -> AUTH_FAILED;
            // an INVALID_KE_PAYLOAD we cannot follow means no DH group both accept
            case NotifyType.NO_PROPOSAL_CHOSEN, NotifyType.INVALID_KE_PAYLOAD -> NO_PROPOSAL;
            case NotifyType.TS_UNACCEPTABLE -> TS_UNACCEPTABLE;
            default -> OTHER;
        };
    }
}
