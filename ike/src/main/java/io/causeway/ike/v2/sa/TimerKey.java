package io.causeway.ike.v2.sa;

/** Names one timer of one IKE SA: the SA's SPI on our side and what the timer is for. */
public record TimerKey(long localSpi, Kind kind) {
    /** What a timer does when it fires. */
    public enum Kind {
        /** Resend the outstanding request, or give up when the schedule is exhausted (RFC 7296 2.1). */
        RETRANSMIT,
        /** Check for inbound IKE or ESP activity and send a liveness check when idle for dpddelay (RFC 7296 2.4). */
        DPD,
        /**
         * Start another round of keying tries for a connection whose tries all failed; {@code localSpi} is the
         * SPI of the last failed attempt and names no live SA.
         */
        KEYING_RETRY
    }

    @Override
    public String toString() {
        return String.format("%s[%016x]", kind, localSpi);
    }
}
