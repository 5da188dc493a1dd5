package io.causeway.daemon.metrics;

import java.util.Locale;

/**
 * Why a negotiation failed, as a label from a fixed set: the engine's messages are free text
 * (addresses, ids, proposals), which must never become label values.
 */
enum FailureReason {
    AUTH_FAILED, NO_PROPOSAL, TIMEOUT, TS_UNACCEPTABLE, OTHER;

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    static FailureReason of(String lastError) {
        if (lastError == null) return OTHER;
        String e = lastError.toLowerCase(Locale.ROOT);
        if (e.contains("authentication_failed") || e.contains("auth does not verify") || e.contains("no psk")
                || e.contains("peer identified as")) {
            return AUTH_FAILED;
        }
        if (e.contains("no_proposal_chosen") || e.contains("proposal we did not offer")
                || e.contains("invalid_ke_payload") || e.contains("none matches")) {
            return NO_PROPOSAL;
        }
        if (e.contains("ts_unacceptable")) return TS_UNACCEPTABLE;
        if (e.contains("no answer") || e.contains("timed out") || e.contains("timeout")) return TIMEOUT;
        return OTHER;
    }
}
