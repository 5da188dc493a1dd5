package io.causeway.daemon.metrics;

import io.causeway.ike.sa.FailureCause;

/**
 * The reason label of a failure. Spelled out rather than derived from the enum's names, so renaming a constant in the
 * engine cannot change what dashboards and alerts match on.
 */
final class FailureReason {
    private FailureReason() {}

    static String label(FailureCause cause) {
        if (cause == null) return "other";
        return switch (cause) {
            case AUTH_FAILED -> "auth_failed";
            case NO_PROPOSAL -> "no_proposal";
            case TIMEOUT -> "timeout";
            case TS_UNACCEPTABLE -> "ts_unacceptable";
            case OTHER -> "other";
        };
    }
}
